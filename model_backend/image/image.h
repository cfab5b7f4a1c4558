#pragma once
// Images exactly as Hugging Face processors see them, torch-free.
//
// decode_*  : JPEG or PNG (chosen by magic bytes) to 8-bit RGB, the pixels
//             PIL.Image.open(p).convert("RGB") gives with Pillow 9.4.
// encode_png: RGB to PNG bytes, deterministic (the demo data's images).
// resize    : a port of Pillow 9.4's libImaging/Resample.c (and its affine
//             nearest path), bit-identical to Image.resize(reducing_gap=None).
// center_crop: transformers' image_transforms.center_crop arithmetic.
// Every failure is an mmh::Error naming the file; nothing aborts. See docs/images.md.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mmh::image {

// HWC, 8-bit RGB: rgb.size() == width * height * 3.
struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
};

// Pillow's Image.MAX_IMAGE_PIXELS * 2: above it Pillow raises
// DecompressionBombError, so we refuse before allocating anything.
inline constexpr std::int64_t kMaxImagePixels = 2LL * 89'478'485;

// Largest encoded file decode_image_file reads (well above any real photo).
inline constexpr std::uintmax_t kMaxImageFileBytes = 1ull << 30;

Image decode_image_file(const std::filesystem::path& path);
// `name` is used in error messages (the file or archive member it came from).
Image decode_image_memory(const std::uint8_t* data, std::size_t size, const std::string& name);

// 8-bit RGB PNG bytes of `image` (fixed zlib settings and no time chunk, so the
// same pixels always give the same bytes). `name` is used in error messages.
std::string encode_png(const Image& image, const std::string& name = "PNG image");
// encode_png written to `path` (its folder must exist); mmh::Error naming the file on failure.
void write_png_file(const std::filesystem::path& path, const Image& image);

// PIL's numbering, as written in preprocessor_config.json "resample".
enum class Resample { kNearest = 0, kBilinear = 2, kBicubic = 3 };

// Maps a PIL resample number to Resample; refuses LANCZOS (1), BOX (4),
// HAMMING (5) and anything else with an mmh::Error naming `where`.
Resample resample_from_pil(long long value, const std::string& where);
const char* resample_name(Resample filter);  // "BICUBIC"

// Bit-identical to PIL Image.resize((width, height), filter, reducing_gap=None)
// on an RGB image; width and height must be positive.
Image resize(const Image& image, int width, int height, Resample filter);

// transformers image_transforms.center_crop: top = (h - ch) // 2,
// left = (w - cw) // 2; a crop larger than the image is zero-padded the way
// transformers pads it (ceil of half the difference before, the rest after).
Image center_crop(const Image& image, int width, int height);

}  // namespace mmh::image
