// Decoding: every PNG mode and the JPEG colour spaces Pillow opens, checked
// against Pillow's documented conversion to RGB computed here from the known
// source pixels (for lossy JPEG: against libjpeg's own decode of the file),
// and one clear mmh::Error per kind of bad input.
#include <catch2/catch.hpp>

#include <random>

#include "common/error.h"
#include "image/encoders.h"
#include "model_backend/image/image.h"
#include "support/temp_dir.h"

using mmh::image::decode_image_file;
using mmh::image::Image;
using mmh::test::TempDir;
using mmh::test::write_file;
namespace img = mmh::test::img;

namespace {

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng() & 0xff);
  return v;
}

// Expected RGB from a per-pixel function of (x, y).
template <class F>
std::vector<std::uint8_t> expected_rgb(int w, int h, F pixel) {
  std::vector<std::uint8_t> out;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const auto p = pixel(x, y);
      out.insert(out.end(), p.begin(), p.end());
    }
  return out;
}

Image round_trip(const TempDir& dir, const img::PngSpec& spec, const char* name) {
  const auto path = dir / name;
  img::write_png(path, spec);
  Image image = decode_image_file(path);
  REQUIRE(image.width == spec.width);
  REQUIRE(image.height == spec.height);
  REQUIRE(image.rgb.size() == std::size_t(spec.width) * spec.height * 3);
  return image;
}

using Rgb = std::array<std::uint8_t, 3>;

// Pillow's cmyk2rgb after the "CMYK;I" unpack (ink = 255 - stored sample).
Rgb pillow_cmyk_from_stored(const std::uint8_t* s) {
  auto muldiv255 = [](int a, int b) {
    const int tmp = a * b + 128;
    return ((tmp >> 8) + tmp) >> 8;
  };
  const int nk = 255 - (255 - s[3]);
  Rgb out;
  for (int c = 0; c < 3; ++c) out[c] = static_cast<std::uint8_t>(std::clamp(nk - muldiv255(255 - s[c], nk), 0, 255));
  return out;
}

}  // namespace

TEST_CASE("image: png: 8-bit RGB decodes to its own pixels", "[image][decode][png]") {
  TempDir dir;
  img::PngSpec s = img::png_spec(13, 7, PNG_COLOR_TYPE_RGB, 8);
  s.rows = random_bytes(13 * 7 * 3, 1);
  const Image image = round_trip(dir, s, "rgb.png");
  CHECK(image.rgb == s.rows);
}

TEST_CASE("image: png: grayscale of every depth is scaled like Pillow's L unpackers and replicated", "[image][decode][png]") {
  TempDir dir;
  for (int depth : {1, 2, 4, 8}) {
    INFO("bit depth " << depth);
    const int w = 11, h = 5, max = (1 << depth) - 1;
    const auto values = random_bytes(w * h, 10 + depth);
    img::PngSpec s = img::png_spec(w, h, PNG_COLOR_TYPE_GRAY, depth);
    const int per_byte = 8 / depth, rowbytes = (w + per_byte - 1) / per_byte;
    s.rows.assign(std::size_t(rowbytes) * h, 0);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const int v = values[y * w + x] & max;
        s.rows[y * rowbytes + x / per_byte] |= std::uint8_t(v << (8 - depth * (x % per_byte + 1)));
      }
    const Image image = round_trip(dir, s, "gray.png");
    // Pillow: "1" is 0/255, L;2 multiplies by 0x55, L;4 by 0x11 (= v * 255 / max).
    CHECK(image.rgb == expected_rgb(w, h, [&](int x, int y) {
            const std::uint8_t v = std::uint8_t((values[y * w + x] & max) * 255 / max);
            return Rgb{v, v, v};
          }));
  }
}

TEST_CASE("image: png: 16-bit grayscale opens as mode I and convert('RGB') clips it to 0..255", "[image][decode][png]") {
  TempDir dir;
  const std::vector<int> values = {0, 1, 128, 254, 255, 256, 1000, 40000, 65535, 200, 0x00ff, 0x0100};
  img::PngSpec s = img::png_spec(int(values.size()), 1, PNG_COLOR_TYPE_GRAY, 16);
  for (int v : values) s.rows.insert(s.rows.end(), {std::uint8_t(v >> 8), std::uint8_t(v & 0xff)});
  const Image image = round_trip(dir, s, "gray16.png");
  CHECK(image.rgb == expected_rgb(s.width, 1, [&](int x, int) {
          const std::uint8_t v = std::uint8_t(std::min(values[x], 255));
          return Rgb{v, v, v};
        }));
}

TEST_CASE("image: png: alpha is dropped without compositing (LA, RGBA, 8 and 16 bit)", "[image][decode][png]") {
  TempDir dir;
  const int w = 9, h = 4;
  const auto src = random_bytes(w * h * 8, 3);
  SECTION("LA 8") {
    img::PngSpec s = img::png_spec(w, h, PNG_COLOR_TYPE_GRAY_ALPHA, 8);
    s.rows.assign(src.begin(), src.begin() + w * h * 2);
    const Image image = round_trip(dir, s, "la.png");
    CHECK(image.rgb == expected_rgb(w, h, [&](int x, int y) {
            const std::uint8_t v = s.rows[(y * w + x) * 2];
            return Rgb{v, v, v};
          }));
  }
  SECTION("LA 16 (Pillow: RGBA via LA;16B, high byte)") {
    img::PngSpec s = img::png_spec(w, h, PNG_COLOR_TYPE_GRAY_ALPHA, 16);
    s.rows.assign(src.begin(), src.begin() + w * h * 4);
    const Image image = round_trip(dir, s, "la16.png");
    CHECK(image.rgb == expected_rgb(w, h, [&](int x, int y) {
            const std::uint8_t v = s.rows[(y * w + x) * 4];
            return Rgb{v, v, v};
          }));
  }
  SECTION("RGBA 8, including fully transparent pixels") {
    img::PngSpec s = img::png_spec(w, h, PNG_COLOR_TYPE_RGB_ALPHA, 8);
    s.rows.assign(src.begin(), src.begin() + w * h * 4);
    for (int i = 0; i < w * h; i += 3) s.rows[i * 4 + 3] = 0;
    const Image image = round_trip(dir, s, "rgba.png");
    CHECK(image.rgb == expected_rgb(w, h, [&](int x, int y) {
            const std::uint8_t* p = &s.rows[(y * w + x) * 4];
            return Rgb{p[0], p[1], p[2]};
          }));
  }
  SECTION("RGB 16 and RGBA 16 keep the most significant byte") {
    for (int type : {PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA}) {
      const int channels = type == PNG_COLOR_TYPE_RGB ? 3 : 4;
      img::PngSpec s = img::png_spec(w, h, type, 16);
      s.rows.assign(src.begin(), src.begin() + w * h * channels * 2);
      const Image image = round_trip(dir, s, "rgb16.png");
      CHECK(image.rgb == expected_rgb(w, h, [&](int x, int y) {
              const std::uint8_t* p = &s.rows[(y * w + x) * channels * 2];
              return Rgb{p[0], p[2], p[4]};
            }));
    }
  }
}

TEST_CASE("image: png: palette images are looked up, tRNS ignored, short palettes fall back to Pillow's ramp",
          "[image][decode][png]") {
  TempDir dir;
  const int w = 10, h = 3;
  std::vector<png_color> palette;
  for (int i = 0; i < 6; ++i) palette.push_back({std::uint8_t(40 * i), std::uint8_t(255 - 30 * i), std::uint8_t(7 * i)});
  SECTION("8-bit with tRNS") {
    img::PngSpec s = img::png_spec(w, h, PNG_COLOR_TYPE_PALETTE, 8);
    s.palette = palette;
    s.trns = {0, 128, 255, 10};
    for (int i = 0; i < w * h; ++i) s.rows.push_back(std::uint8_t(i % 6));
    const Image image = round_trip(dir, s, "p8.png");
    CHECK(image.rgb == expected_rgb(w, h, [&](int x, int y) {
            const png_color c = palette[(y * w + x) % 6];
            return Rgb{c.red, c.green, c.blue};
          }));
  }
  SECTION("4-bit packed, with indices past the PLTE") {
    img::PngSpec s = img::png_spec(w, h, PNG_COLOR_TYPE_PALETTE, 4);
    s.palette = palette;
    s.trns = {0};
    const int rowbytes = (w + 1) / 2;
    s.rows.assign(std::size_t(rowbytes) * h, 0);
    auto index = [](int x, int y) { return (x + 3 * y) % 9; };  // 6..8 are past the 6-entry PLTE
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) s.rows[y * rowbytes + x / 2] |= std::uint8_t(index(x, y) << (x % 2 ? 0 : 4));
    const auto path = dir / "p4.png";
    img::write_png(path, s);
    const Image image = decode_image_file(path);
    CHECK(image.rgb == expected_rgb(w, h, [&](int x, int y) {
            const int i = index(x, y);
            if (i >= 6) return Rgb{std::uint8_t(i), std::uint8_t(i), std::uint8_t(i)};
            return Rgb{palette[i].red, palette[i].green, palette[i].blue};
          }));
  }
}

TEST_CASE("image: png: Adam7 interlaced images decode to the same pixels", "[image][decode][png]") {
  TempDir dir;
  for (int type : {PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_GRAY}) {
    img::PngSpec s = img::png_spec(37, 23, type, 8, true);
    const int channels = type == PNG_COLOR_TYPE_RGB ? 3 : 1;
    s.rows = random_bytes(37 * 23 * channels, 7);
    const Image image = round_trip(dir, s, "adam7.png");
    CHECK(image.rgb == expected_rgb(37, 23, [&](int x, int y) {
            const std::uint8_t* p = &s.rows[(y * 37 + x) * channels];
            return channels == 3 ? Rgb{p[0], p[1], p[2]} : Rgb{p[0], p[0], p[0]};
          }));
  }
}

TEST_CASE("image: jpeg: RGB (baseline and progressive) and grayscale equal libjpeg's ISLOW fancy-upsampled decode",
          "[image][decode][jpeg]") {
  TempDir dir;
  const int w = 45, h = 31;
  std::vector<std::uint8_t> rgb;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) rgb.insert(rgb.end(), {std::uint8_t(x * 5), std::uint8_t(y * 8), std::uint8_t(255 - 3 * (x + y))});
  for (bool progressive : {false, true}) {
    INFO("progressive " << progressive);
    const auto path = dir / "c.jpg";
    img::write_jpeg(path, {w, h, 3, JCS_RGB, JCS_YCbCr, rgb, 85, progressive});
    const auto reference = img::libjpeg_decode(path, JCS_RGB);
    const Image image = decode_image_file(path);
    REQUIRE(image.width == w);
    REQUIRE(image.height == h);
    CHECK(image.rgb == reference.pixels);
    // And it is the picture that was written, up to JPEG loss.
    double total = 0;
    for (std::size_t i = 0; i < rgb.size(); ++i) total += std::abs(int(rgb[i]) - int(image.rgb[i]));
    CHECK(total / rgb.size() < 4.0);
  }
  std::vector<std::uint8_t> gray(w * h);
  for (int i = 0; i < w * h; ++i) gray[i] = std::uint8_t(i * 7);
  const auto path = dir / "g.jpg";
  img::write_jpeg(path, {w, h, 1, JCS_GRAYSCALE, JCS_GRAYSCALE, gray, 90, false});
  const auto reference = img::libjpeg_decode(path, JCS_GRAYSCALE);
  const Image image = decode_image_file(path);
  CHECK(image.rgb == expected_rgb(w, h, [&](int x, int y) {
          const std::uint8_t v = reference.pixels[y * w + x];
          return Rgb{v, v, v};
        }));
}

TEST_CASE("image: jpeg: Adobe CMYK and YCCK are read as inverted CMYK and converted with Pillow's cmyk2rgb",
          "[image][decode][jpeg]") {
  TempDir dir;
  // Photoshop convention: stored = 255 - ink. Four flat 8x8-aligned blocks.
  const int w = 32, h = 16;
  const std::uint8_t blocks[4][4] = {{255, 255, 255, 255},   // no ink: white
                                     {0, 255, 255, 255},     // full cyan: (0, 255, 255)
                                     {255, 255, 255, 0},     // full black
                                     {128, 200, 60, 180}};
  std::vector<std::uint8_t> stored;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) stored.insert(stored.end(), blocks[x / 8], blocks[x / 8] + 4);
  for (J_COLOR_SPACE space : {JCS_CMYK, JCS_YCCK}) {
    INFO("file colour space " << int(space));
    const auto path = dir / "cmyk.jpg";
    img::write_jpeg(path, {w, h, 4, JCS_CMYK, space, stored, 100, false});
    const auto reference = img::libjpeg_decode(path, JCS_CMYK);
    REQUIRE(reference.saw_adobe);
    REQUIRE(reference.file_space == space);
    const Image image = decode_image_file(path);
    CHECK(image.rgb == expected_rgb(w, h, [&](int x, int y) {
            return pillow_cmyk_from_stored(&reference.pixels[(y * w + x) * 4]);
          }));
    auto near = [&](int x, Rgb want) {
      const std::uint8_t* p = &image.rgb[(8 * w + x) * 3];
      for (int c = 0; c < 3; ++c) CHECK(std::abs(int(p[c]) - int(want[c])) <= 3);
    };
    near(3, {255, 255, 255});
    near(11, {0, 255, 255});
    near(19, {0, 0, 0});
  }
}

TEST_CASE("image: decode: the format comes from the content, not the file name", "[image][decode]") {
  TempDir dir;
  img::PngSpec s = img::png_spec(3, 2, PNG_COLOR_TYPE_RGB, 8);
  s.rows = random_bytes(18, 5);
  img::write_png(dir / "really_a_png.jpg", s);
  CHECK(decode_image_file(dir / "really_a_png.jpg").rgb == s.rows);
  const std::string bytes = img::slurp(dir / "really_a_png.jpg");
  const Image from_memory = mmh::image::decode_image_memory(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                            bytes.size(), "buffer");
  CHECK(from_memory.rgb == s.rows);
}

namespace {
// The error names the file and says what is wrong.
void check_refused(const std::filesystem::path& path, const std::string& what) {
  try {
    decode_image_file(path);
    FAIL("decoded " << path << " without an error");
  } catch (const mmh::Error& e) {
    INFO(e.what());
    CHECK(std::string(e.what()).find(path.string()) != std::string::npos);
    CHECK(std::string(e.what()).find(what) != std::string::npos);
  }
}
}  // namespace

TEST_CASE("image: decode: bad input is an mmh::Error naming the file", "[image][decode][errors]") {
  TempDir dir;
  write_file(dir / "empty.png", "");
  check_refused(dir / "empty.png", "empty file");

  const auto noise = random_bytes(4096, 9);
  write_file(dir / "noise.jpg", std::string(noise.begin(), noise.end()));
  check_refused(dir / "noise.jpg", "not a JPEG or PNG");

  check_refused(dir / "missing.png", "no such file");

  img::PngSpec s = img::png_spec(64, 64, PNG_COLOR_TYPE_RGB, 8);
  s.rows = random_bytes(64 * 64 * 3, 11);
  img::write_png(dir / "full.png", s);
  const std::string png = img::slurp(dir / "full.png");
  for (std::size_t keep : {std::size_t(20), png.size() / 2, png.size() - 20}) {
    INFO("PNG cut to " << keep << " bytes");
    write_file(dir / "cut.png", png.substr(0, keep));
    check_refused(dir / "cut.png", "corrupt or truncated PNG");
  }
  std::string corrupt = png;
  for (std::size_t i = 60; i < 200; ++i) corrupt[i] = char(corrupt[i] ^ 0x5a);
  write_file(dir / "corrupt.png", corrupt);
  check_refused(dir / "corrupt.png", "corrupt or truncated PNG");

  std::vector<std::uint8_t> rgb(64 * 64 * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = std::uint8_t(i * 31);
  for (bool progressive : {false, true}) {
    img::write_jpeg(dir / "full.jpg", {64, 64, 3, JCS_RGB, JCS_YCbCr, rgb, 90, progressive});
    const std::string jpg = img::slurp(dir / "full.jpg");
    for (std::size_t keep : {std::size_t(3), std::size_t(100), jpg.size() / 2, jpg.size() - 10}) {
      INFO("JPEG (progressive " << progressive << ") cut to " << keep << " bytes");
      write_file(dir / "cut.jpg", jpg.substr(0, keep));
      check_refused(dir / "cut.jpg", "corrupt or truncated JPEG");
    }
  }
}

TEST_CASE("image: decode: absurd or empty declared sizes are refused before allocating", "[image][decode][errors]") {
  TempDir dir;
  write_file(dir / "huge.png", img::png_with_header(100000, 100000));
  check_refused(dir / "huge.png", "decompression-bomb limit");
  // Just over Pillow's 2 x MAX_IMAGE_PIXELS, with libpng's own 1e6 width cap out of the way.
  write_file(dir / "wide.png", img::png_with_header(2'000'000, 90));
  check_refused(dir / "wide.png", "decompression-bomb limit");
  write_file(dir / "zero.png", img::png_with_header(0, 16));
  check_refused(dir / "zero.png", "PNG");

  // A valid JPEG whose SOF0 claims 65000 x 65000.
  std::vector<std::uint8_t> rgb(16 * 16 * 3, 100);
  img::write_jpeg(dir / "small.jpg", {16, 16, 3, JCS_RGB, JCS_YCbCr, rgb, 90, false});
  std::string jpg = img::slurp(dir / "small.jpg");
  const auto sof = jpg.find("\xff\xc0");
  REQUIRE(sof != std::string::npos);
  for (std::size_t i : {sof + 5, sof + 6, sof + 7, sof + 8}) jpg[i] = char(i % 2 ? 0xfd : 0xe8);  // 0xfde8 = 65000
  write_file(dir / "huge.jpg", jpg);
  check_refused(dir / "huge.jpg", "decompression-bomb limit");
}
