// RGB to PNG through libpng, writing to memory. The zlib level, strategy and
// filters are fixed and no tIME chunk is written, so the bytes depend only on
// the pixels (the demo data must be byte-identical for the same seed).
//
// libpng reports errors through longjmp, caught in write_png (see there).
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <fstream>
#include <vector>

#include "common/error.h"
#include "model_backend/image/image.h"

namespace mmh::image {
namespace {

struct Writer {
  std::string bytes;
  char message[256] = {0};
};

void on_error(png_structp png, png_const_charp message) {
  auto* writer = static_cast<Writer*>(png_get_error_ptr(png));
  std::snprintf(writer->message, sizeof writer->message, "%s", message ? message : "unknown libpng error");
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

void on_write(png_structp png, png_bytep data, png_size_t length) {
  static_cast<Writer*>(png_get_io_ptr(png))->bytes.append(reinterpret_cast<const char*>(data), length);
}

void on_flush(png_structp) {}

struct PngGuard {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngGuard() { png_destroy_write_struct(&png, info ? &info : nullptr); }
};

// Everything libpng may longjmp out of runs here; its locals are trivially
// destructible, the objects with destructors belong to the caller.
bool write_png(PngGuard& guard, Writer& writer, const Image& image, std::vector<png_bytep>& rows) {
  if (setjmp(png_jmpbuf(guard.png))) return false;
  png_set_write_fn(guard.png, &writer, on_write, on_flush);
  // zlib's default level; the Up filter alone (flat drawings repeat rows), so libpng does not try each filter per row.
  png_set_compression_level(guard.png, 6);
  png_set_filter(guard.png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
  png_set_IHDR(guard.png, guard.info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(guard.png, guard.info);
  png_write_image(guard.png, rows.data());
  png_write_end(guard.png, guard.info);
  return true;
}

}  // namespace

std::string encode_png(const Image& image, const std::string& name) {
  if (image.width <= 0 || image.height <= 0 || image.width > kMaxImagePixels || image.height > kMaxImagePixels ||
      std::int64_t(image.width) * image.height > kMaxImagePixels)
    throw Error(name, "cannot encode a " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                          " image as PNG");
  if (image.rgb.size() != std::size_t(image.width) * image.height * 3)
    throw Error(name, "pixel buffer holds " + std::to_string(image.rgb.size()) + " bytes, not width * height * 3");
  std::vector<png_bytep> rows(static_cast<std::size_t>(image.height));
  for (int y = 0; y < image.height; ++y)
    rows[y] = const_cast<png_bytep>(image.rgb.data() + std::size_t(y) * image.width * 3);  // libpng only reads them
  Writer writer;
  PngGuard guard;
  guard.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer, on_error, on_warning);
  if (!guard.png) throw Error(name, "cannot initialise libpng");
  guard.info = png_create_info_struct(guard.png);
  if (!guard.info) throw Error(name, "cannot initialise libpng");
  if (!write_png(guard, writer, image, rows)) throw Error(name, std::string("cannot encode PNG: ") + writer.message);
  return std::move(writer.bytes);
}

void write_png_file(const std::filesystem::path& path, const Image& image) {
  const std::string bytes = encode_png(image, path.string());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw Error(path.string(), "cannot write (missing folder or disk full?)");
}

}  // namespace mmh::image
