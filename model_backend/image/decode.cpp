// The format is chosen by content, like PIL.Image.open: the file name's
// extension is never trusted.
#include <cstring>

#include "common/error.h"
#include "common/json_file.h"
#include "model_backend/image/decode_internal.h"
#include "model_backend/image/image.h"

namespace mmh::image {

namespace detail {

Image allocate_checked(std::int64_t width, std::int64_t height, const std::string& name, const char* format) {
  if (width <= 0 || height <= 0)
    throw Error(name, std::string(format) + " image declares a size of " + std::to_string(width) + "x" +
                          std::to_string(height) + " (a side of 0 is not an image)");
  if (width > kMaxImagePixels || height > kMaxImagePixels || width * height > kMaxImagePixels)
    throw Error(name, std::string(format) + " image declares " + std::to_string(width) + "x" +
                          std::to_string(height) + " pixels, more than the " + std::to_string(kMaxImagePixels) +
                          " accepted (Pillow's decompression-bomb limit)");
  Image image;
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.rgb.resize(static_cast<std::size_t>(width * height) * 3);
  return image;
}

}  // namespace detail

Image decode_image_memory(const std::uint8_t* data, std::size_t size, const std::string& name) {
  if (size == 0) throw Error(name, "empty file, not an image");
  static const std::uint8_t kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (size >= 8 && std::memcmp(data, kPng, 8) == 0) return detail::decode_png(data, size, name);
  // JPEG: SOI followed by a marker (Pillow checks the same three bytes).
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) return detail::decode_jpeg(data, size, name);
  throw Error(name, "not a JPEG or PNG image (unrecognised leading bytes); only JPEG and PNG are supported");
}

Image decode_image_file(const std::filesystem::path& path) {
  const std::string bytes = read_text_file(path, kMaxImageFileBytes);
  return decode_image_memory(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), path.string());
}

}  // namespace mmh::image
