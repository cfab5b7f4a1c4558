// Properties of the Pillow resampling port and of the centre crop that hold
// without any reference data (the bit-exact parity is in image_processor_test).
#include <catch2/catch.hpp>

#include <random>

#include "common/error.h"
#include "model_backend/image/image.h"

using mmh::image::center_crop;
using mmh::image::Image;
using mmh::image::Resample;
using mmh::image::resize;

namespace {

Image noise(int w, int h, unsigned seed) {
  std::mt19937 rng(seed);
  Image image{w, h, std::vector<std::uint8_t>(std::size_t(w) * h * 3)};
  for (auto& v : image.rgb) v = std::uint8_t(rng() & 0xff);
  return image;
}

Image constant(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  Image image{w, h, {}};
  for (int i = 0; i < w * h; ++i) image.rgb.insert(image.rgb.end(), {r, g, b});
  return image;
}

Image row_of(const Image& image, int y) {
  Image row{image.width, 1, {}};
  row.rgb.assign(image.rgb.begin() + std::size_t(y) * image.width * 3,
                 image.rgb.begin() + std::size_t(y + 1) * image.width * 3);
  return row;
}

Image transpose(const Image& image) {
  Image t{image.height, image.width, std::vector<std::uint8_t>(image.rgb.size())};
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      for (int c = 0; c < 3; ++c) t.rgb[(std::size_t(x) * t.width + y) * 3 + c] = image.rgb[(std::size_t(y) * image.width + x) * 3 + c];
  return t;
}

const Resample kAll[] = {Resample::kNearest, Resample::kBilinear, Resample::kBicubic};
const Resample kConvolution[] = {Resample::kBilinear, Resample::kBicubic};

}  // namespace

TEST_CASE("image: resize: the identity size returns the same image", "[image][resample]") {
  const Image image = noise(17, 9, 1);
  for (Resample f : kAll) {
    const Image out = resize(image, 17, 9, f);
    CHECK(out.width == 17);
    CHECK(out.height == 9);
    CHECK(out.rgb == image.rgb);
  }
}

TEST_CASE("image: resize: a constant image stays constant, up or down, including 0 and 255", "[image][resample]") {
  for (const Image& image : {constant(7, 5, 0, 128, 255), constant(64, 48, 255, 1, 37)}) {
    for (Resample f : kAll)
      for (auto [w, h] : {std::pair{3, 2}, {13, 31}, {100, 7}, {1, 1}, {150, 150}}) {
        INFO(mmh::image::resample_name(f) << " " << image.width << "x" << image.height << " -> " << w << "x" << h);
        const Image out = resize(image, w, h, f);
        REQUIRE(out.rgb.size() == std::size_t(w) * h * 3);
        CHECK(out.rgb == constant(w, h, image.rgb[0], image.rgb[1], image.rgb[2]).rgb);
      }
  }
}

TEST_CASE("image: resize: passes are separable, horizontal first, with an 8-bit intermediate", "[image][resample]") {
  const Image image = noise(41, 29, 2);
  for (Resample f : kConvolution) {
    INFO(mmh::image::resample_name(f));
    // Only the width changes: the vertical pass is skipped, so every row is
    // resampled on its own.
    const Image wide = resize(image, 67, 29, f);
    for (int y = 0; y < image.height; ++y) {
      const Image row = resize(row_of(image, y), 67, 1, f);
      CHECK(std::equal(row.rgb.begin(), row.rgb.end(), wide.rgb.begin() + std::size_t(y) * 67 * 3));
    }
    // Only the height changes: the same filter along columns.
    CHECK(resize(image, 41, 12, f).rgb == transpose(resize(transpose(image), 12, 41, f)).rgb);
    // Both change: exactly the horizontal pass, rounded to uint8, then the vertical one.
    for (auto [w, h] : {std::pair{20, 13}, {90, 70}, {25, 50}}) {
      INFO(w << "x" << h);
      CHECK(resize(image, w, h, f).rgb == resize(resize(image, w, image.height, f), w, h, f).rgb);
    }
  }
}

TEST_CASE("image: resize: NEAREST samples floor((x + 0.5) * in / out) (Pillow's affine scale path)", "[image][resample]") {
  const Image image = noise(23, 19, 3);
  for (auto [w, h] : {std::pair{7, 5}, {46, 38}, {50, 3}, {23, 40}}) {
    INFO(w << "x" << h);
    const Image out = resize(image, w, h, Resample::kNearest);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const int sx = int((x + 0.5) * image.width / w), sy = int((y + 0.5) * image.height / h);
        for (int c = 0; c < 3; ++c)
          REQUIRE(out.rgb[(std::size_t(y) * w + x) * 3 + c] == image.rgb[(std::size_t(sy) * image.width + sx) * 3 + c]);
      }
  }
}

TEST_CASE("image: resize: bad sizes and unsupported PIL filters are refused", "[image][resample][errors]") {
  const Image image = noise(4, 4, 4);
  CHECK_THROWS_AS(resize(image, 0, 4, Resample::kBicubic), mmh::Error);
  CHECK_THROWS_AS(resize(image, 4, -1, Resample::kBilinear), mmh::Error);
  CHECK_THROWS_AS(resize(Image{}, 4, 4, Resample::kBicubic), mmh::Error);
  CHECK(mmh::image::resample_from_pil(0, "x") == Resample::kNearest);
  CHECK(mmh::image::resample_from_pil(2, "x") == Resample::kBilinear);
  CHECK(mmh::image::resample_from_pil(3, "x") == Resample::kBicubic);
  for (int value : {1, 4, 5, -1, 6}) {
    INFO(value);
    CHECK_THROWS_WITH(mmh::image::resample_from_pil(value, "cfg.json"),
                      Catch::Contains("cfg.json") && Catch::Contains("is not supported"));
  }
}

TEST_CASE("image: center_crop: transformers' offsets, and zero padding when the crop is larger", "[image][crop]") {
  const Image image = noise(9, 6, 5);
  auto at = [](const Image& im, int x, int y) {
    return std::vector<std::uint8_t>(im.rgb.begin() + (std::size_t(y) * im.width + x) * 3,
                                     im.rgb.begin() + (std::size_t(y) * im.width + x) * 3 + 3);
  };
  // Inside: top = (6 - 3) // 2 = 1, left = (9 - 4) // 2 = 2.
  const Image inside = center_crop(image, 4, 3);
  REQUIRE(inside.width == 4);
  REQUIRE(inside.height == 3);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 4; ++x) CHECK(at(inside, x, y) == at(image, x + 2, y + 1));
  // Larger on both axes: the image sits at ceil(diff / 2) from the top left.
  const Image padded = center_crop(image, 14, 9);
  REQUIRE(padded.width == 14);
  REQUIRE(padded.height == 9);
  for (int y = 0; y < 9; ++y)
    for (int x = 0; x < 14; ++x) {
      const int sx = x - 3, sy = y - 2;  // ceil(5 / 2), ceil(3 / 2)
      const bool inside_image = sx >= 0 && sx < 9 && sy >= 0 && sy < 6;
      CHECK(at(padded, x, y) == (inside_image ? at(image, sx, sy) : std::vector<std::uint8_t>{0, 0, 0}));
    }
  // Larger on one axis only: cropped on the other (top = (6 - 2) // 2 = 2), padded on this one.
  const Image mixed = center_crop(image, 12, 2);
  REQUIRE(mixed.width == 12);
  REQUIRE(mixed.height == 2);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 12; ++x) {
      const int sx = x - 2;  // ceil(3 / 2)
      CHECK(at(mixed, x, y) == (sx >= 0 && sx < 9 ? at(image, sx, y + 2) : std::vector<std::uint8_t>{0, 0, 0}));
    }
  CHECK(center_crop(image, 9, 6).rgb == image.rgb);
  CHECK_THROWS_AS(center_crop(image, 0, 3), mmh::Error);
}
