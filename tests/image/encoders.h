#pragma once
// Test-side PNG and JPEG writers (libpng, libjpeg) and a plain libjpeg
// reader, so decoding tests start from known source pixels. Errors abort the
// test via exceptions thrown outside the library callbacks.
#include <cstdio>
// jpeglib.h needs FILE first.
#include <jpeglib.h>
#include <png.h>

#include <csetjmp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mmh::test::img {

struct PngSpec {
  int width = 0, height = 0;
  int color_type = PNG_COLOR_TYPE_RGB;
  int bit_depth = 8;
  bool interlaced = false;
  std::vector<std::uint8_t> rows;  // height rows of libpng's packed row layout, 16-bit big-endian
  std::vector<png_color> palette;
  std::vector<std::uint8_t> trns;  // palette alpha entries
};

inline PngSpec png_spec(int width, int height, int color_type, int bit_depth, bool interlaced = false) {
  PngSpec s;
  s.width = width, s.height = height, s.color_type = color_type, s.bit_depth = bit_depth, s.interlaced = interlaced;
  return s;
}

inline void write_png(const std::filesystem::path& path, const PngSpec& s) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path.string());
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr,
                                            [](png_structp, png_const_charp) {});  // warnings are expected here
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
    throw std::runtime_error("libpng failed writing " + path.string());
  }
  png_set_benign_errors(png, 1);  // lets a test write palette indices past the PLTE
  png_init_io(png, f);
  png_set_IHDR(png, info, s.width, s.height, s.bit_depth, s.color_type,
               s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!s.palette.empty()) png_set_PLTE(png, info, s.palette.data(), static_cast<int>(s.palette.size()));
  if (!s.trns.empty()) png_set_tRNS(png, info, s.trns.data(), static_cast<int>(s.trns.size()), nullptr);
  png_write_info(png, info);
  const std::size_t rowbytes = s.rows.size() / s.height;
  std::vector<png_bytep> rows(s.height);
  for (int y = 0; y < s.height; ++y) rows[y] = const_cast<png_bytep>(s.rows.data() + rowbytes * y);
  png_write_image(png, rows.data());
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
}

struct JpegSpec {
  int width = 0, height = 0, components = 3;
  J_COLOR_SPACE in_space = JCS_RGB;
  J_COLOR_SPACE file_space = JCS_YCbCr;  // what is stored: YCbCr, GRAYSCALE, CMYK, YCCK
  std::vector<std::uint8_t> pixels;      // interleaved, components per pixel
  int quality = 90;
  bool progressive = false;
};

inline void write_jpeg(const std::filesystem::path& path, const JpegSpec& s) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path.string());
  jpeg_compress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  jpeg_stdio_dest(&cinfo, f);
  cinfo.image_width = s.width;
  cinfo.image_height = s.height;
  cinfo.input_components = s.components;
  cinfo.in_color_space = s.in_space;
  jpeg_set_defaults(&cinfo);
  jpeg_set_colorspace(&cinfo, s.file_space);  // CMYK/YCCK also write the Adobe marker
  jpeg_set_quality(&cinfo, s.quality, TRUE);
  if (s.progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(s.pixels.data() + std::size_t(cinfo.next_scanline) * s.width * s.components);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::fclose(f);
}

// libjpeg's own decode with its defaults (ISLOW, fancy upsampling), in the
// requested output colour space; the reference for lossy cases.
struct Decoded {
  int width = 0, height = 0, components = 0;
  bool saw_adobe = false;
  J_COLOR_SPACE file_space = JCS_UNKNOWN;
  std::vector<std::uint8_t> pixels;
};

inline Decoded libjpeg_decode(const std::filesystem::path& path, J_COLOR_SPACE out_space) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot read " + path.string());
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_decompress(&cinfo);
  jpeg_stdio_src(&cinfo, f);
  jpeg_read_header(&cinfo, TRUE);
  Decoded d;
  d.saw_adobe = cinfo.saw_Adobe_marker;
  d.file_space = cinfo.jpeg_color_space;
  cinfo.out_color_space = out_space;
  jpeg_start_decompress(&cinfo);
  d.width = cinfo.output_width;
  d.height = cinfo.output_height;
  d.components = cinfo.output_components;
  d.pixels.resize(std::size_t(d.width) * d.height * d.components);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = d.pixels.data() + std::size_t(cinfo.output_scanline) * d.width * d.components;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  std::fclose(f);
  return d;
}

// A PNG chunk with its CRC, for hand-made headers libpng would not write.
inline std::string png_chunk(const std::string& type, const std::string& data) {
  auto be32 = [](std::uint32_t v) {
    return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  };
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char c : type + data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(crc ^ 0xffffffffu);
}

inline std::string png_with_header(std::uint32_t width, std::uint32_t height) {
  auto be32 = [](std::uint32_t v) {
    return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  };
  const std::string ihdr = be32(width) + be32(height) + std::string{8, 2, 0, 0, 0};  // 8-bit RGB
  return std::string("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", ihdr) + png_chunk("IDAT", "") +
         png_chunk("IEND", "");
}

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace mmh::test::img
