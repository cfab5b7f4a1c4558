// PNG through libpng, reproducing what Pillow 9.4 (its own PNG decoder,
// PngImagePlugin._MODES and Unpack.c) followed by convert("RGB") yields:
//   gray 1/2/4/8 bit  -> L (1-bit 0/255, 2-bit x85, 4-bit x17), replicated
//   gray 16 bit       -> mode I (the 16-bit value), convert clips it to 0..255
//   gray+alpha 8 / 16 -> L = the (high) gray byte; alpha dropped, not composited
//   RGB 8 / 16        -> the (high) bytes ("RGB;16B" keeps the MSB, no rounding)
//   RGBA 8 / 16       -> RGB (high) bytes, alpha dropped
//   palette 1..8 bit  -> PLTE lookup; tRNS ignored (it only matters with alpha);
//                        indices past the PLTE get Pillow's initial grey ramp (i,i,i)
// gAMA/sRGB/iCCP/sBIT are ignored, as Pillow ignores them.
//
// libpng reports errors through longjmp, caught in read_png (see there).
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/error.h"
#include "model_backend/image/decode_internal.h"

namespace mmh::image::detail {

namespace {

struct Reader {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0, pos = 0;
  char message[256] = {0};
};

void on_error(png_structp png, png_const_charp message) {
  auto* reader = static_cast<Reader*>(png_get_error_ptr(png));
  std::snprintf(reader->message, sizeof reader->message, "%s", message ? message : "unknown libpng error");
  png_longjmp(png, 1);
}

// Warnings are recoverable by definition (e.g. a bad ancillary-chunk CRC,
// which libpng discards); Pillow never sees them either.
void on_warning(png_structp, png_const_charp) {}

void on_read(png_structp png, png_bytep out, png_size_t length) {
  auto* reader = static_cast<Reader*>(png_get_io_ptr(png));
  if (length > reader->size - reader->pos) png_error(png, "file is truncated (unexpected end of data)");
  std::memcpy(out, reader->data + reader->pos, length);
  reader->pos += length;
}

struct PngGuard {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngGuard() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

struct Layout {
  int color_type = 0, bit_depth = 0;
  std::uint8_t palette[256][3];
};

// One decoded libpng row (packing on: one sample per byte below 8 bits;
// 16-bit samples big-endian) into RGB.
void convert_row(const Layout& l, const std::uint8_t* in, std::uint8_t* out, int width) {
  const bool wide = l.bit_depth == 16;
  switch (l.color_type) {
    case PNG_COLOR_TYPE_GRAY:
      for (int x = 0; x < width; ++x, out += 3) {
        int v;
        if (wide) {
          const int value = (in[2 * x] << 8) | in[2 * x + 1];
          v = value >= 255 ? 255 : value;  // Pillow's i2rgb clip of mode I
        } else {
          v = in[x] * (l.bit_depth == 1 ? 255 : l.bit_depth == 2 ? 85 : l.bit_depth == 4 ? 17 : 1);
        }
        out[0] = out[1] = out[2] = static_cast<std::uint8_t>(v);
      }
      break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
      for (int x = 0; x < width; ++x, out += 3) out[0] = out[1] = out[2] = in[x * (wide ? 4 : 2)];
      break;
    case PNG_COLOR_TYPE_RGB:
    case PNG_COLOR_TYPE_RGB_ALPHA: {
      const int channels = l.color_type == PNG_COLOR_TYPE_RGB ? 3 : 4;
      const int step = channels * (wide ? 2 : 1), sample = wide ? 2 : 1;
      for (int x = 0; x < width; ++x, out += 3) {
        const std::uint8_t* p = in + x * step;
        out[0] = p[0];
        out[1] = p[sample];
        out[2] = p[2 * sample];
      }
      break;
    }
    case PNG_COLOR_TYPE_PALETTE:
      for (int x = 0; x < width; ++x, out += 3) std::memcpy(out, l.palette[in[x]], 3);
      break;
  }
}

// Everything libpng may longjmp out of runs here. Its only locals are
// trivially destructible and none is read after the jump; the objects with
// destructors belong to the caller, which the jump does not unwind.
// Returns false (reader.message set) when libpng reported an error.
bool read_png(PngGuard& guard, Reader& reader, Layout& layout, Image& image, std::vector<std::uint8_t>& pixels,
              std::vector<png_bytep>& rows, const std::string& name) {
  if (setjmp(png_jmpbuf(guard.png))) return false;

  png_set_read_fn(guard.png, &reader, on_read);
  png_set_benign_errors(guard.png, 1);  // recoverable problems stay warnings (libpng 1.6's read default)
  // Sizes are judged by allocate_checked (Pillow's limit), not libpng's 1e6 cap.
  png_set_user_limits(guard.png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  png_read_info(guard.png, guard.info);

  png_uint_32 width = 0, height = 0;
  int interlace = 0;
  png_get_IHDR(guard.png, guard.info, &width, &height, &layout.bit_depth, &layout.color_type, &interlace, nullptr,
               nullptr);
  image = allocate_checked(width, height, name, "PNG");

  if (layout.color_type == PNG_COLOR_TYPE_PALETTE) {
    for (int i = 0; i < 256; ++i) layout.palette[i][0] = layout.palette[i][1] = layout.palette[i][2] = std::uint8_t(i);
    png_colorp plte = nullptr;
    int count = 0;
    if (png_get_PLTE(guard.png, guard.info, &plte, &count) & PNG_INFO_PLTE) {
      for (int i = 0; i < count && i < 256; ++i) {
        layout.palette[i][0] = plte[i].red;
        layout.palette[i][1] = plte[i].green;
        layout.palette[i][2] = plte[i].blue;
      }
    }
  }
  if (layout.bit_depth < 8) png_set_packing(guard.png);
  const int passes = png_set_interlace_handling(guard.png);
  png_read_update_info(guard.png, guard.info);
  const std::size_t rowbytes = png_get_rowbytes(guard.png, guard.info);

  if (passes > 1) {  // Adam7 needs the whole image before any row is final
    pixels.resize(rowbytes * image.height);
    rows.resize(image.height);
    for (int y = 0; y < image.height; ++y) rows[y] = pixels.data() + rowbytes * y;
    png_read_image(guard.png, rows.data());
    for (int y = 0; y < image.height; ++y)
      convert_row(layout, rows[y], image.rgb.data() + std::size_t(y) * image.width * 3, image.width);
  } else {
    pixels.resize(rowbytes);
    for (int y = 0; y < image.height; ++y) {
      png_read_row(guard.png, pixels.data(), nullptr);
      convert_row(layout, pixels.data(), image.rgb.data() + std::size_t(y) * image.width * 3, image.width);
    }
  }
  // No png_read_end: like Pillow, data after the image (text chunks, a
  // missing IEND) does not matter once the pixels are complete.
  return true;
}

}  // namespace

Image decode_png(const std::uint8_t* data, std::size_t size, const std::string& name) {
  Reader reader;
  reader.data = data;
  reader.size = size;
  PngGuard guard;
  Layout layout;
  Image image;
  std::vector<std::uint8_t> pixels;
  std::vector<png_bytep> rows;
  guard.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, on_error, on_warning);
  if (!guard.png) throw Error(name, "cannot initialise libpng");
  guard.info = png_create_info_struct(guard.png);
  if (!guard.info) throw Error(name, "cannot initialise libpng");
  if (!read_png(guard, reader, layout, image, pixels, rows, name))
    throw Error(name, std::string("corrupt or truncated PNG: ") + reader.message);
  return image;
}

}  // namespace mmh::image::detail
