#include "harness/demo/demo_images.h"

#include <array>
#include <cstdlib>
#include <string>

namespace mmh::demo {
namespace {

constexpr int kDigitScale = 3;  // each font dot is 3x3 pixels

// 3x5 digits, one row per entry, the high of three bits on the left.
constexpr std::array<std::array<std::uint8_t, 5>, 10> kDigits = {{{7, 5, 5, 5, 7},
                                                                  {2, 6, 2, 2, 7},
                                                                  {7, 1, 7, 4, 7},
                                                                  {7, 1, 7, 1, 7},
                                                                  {5, 5, 7, 1, 1},
                                                                  {7, 4, 7, 1, 7},
                                                                  {7, 4, 7, 5, 7},
                                                                  {7, 1, 1, 1, 1},
                                                                  {7, 5, 7, 5, 7},
                                                                  {7, 5, 7, 1, 7}}};

void put(image::Image& img, int x, int y, const NamedColor& c) {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  std::uint8_t* p = img.rgb.data() + (std::size_t(y) * img.width + x) * 3;
  p[0] = c.r, p[1] = c.g, p[2] = c.b;
}

// Pixel centres in doubled coordinates (2x + 1), so every test stays in integers.
bool covers(const Shape& s, int x, int y) {
  const int px = 2 * x + 1 - 2 * s.cx, py = 2 * y + 1 - 2 * s.cy, r = s.size;
  switch (s.kind) {
    case ShapeKind::kCircle: return px * px + py * py <= r * r;
    case ShapeKind::kSquare: return std::abs(px) <= r && std::abs(py) <= r;
    case ShapeKind::kTriangle:  // apex at the top, base at the bottom: half-width grows by 1/2 per row
      return py >= -r && py <= r && 2 * std::abs(px) <= py + r;
  }
  return false;
}

void draw_number(image::Image& img, const Shape& sign, int number, const NamedColor& ink) {
  const std::string digits = std::to_string(number);
  const int digit_width = 3 * kDigitScale, gap = kDigitScale;
  const int width = static_cast<int>(digits.size()) * (digit_width + gap) - gap, height = 5 * kDigitScale;
  const int left = sign.cx - width / 2, top = sign.cy - height / 2;
  for (std::size_t d = 0; d < digits.size(); ++d) {
    const auto& glyph = kDigits[digits[d] - '0'];
    const int x0 = left + static_cast<int>(d) * (digit_width + gap);
    for (int row = 0; row < 5; ++row)
      for (int col = 0; col < 3; ++col)
        if (glyph[row] >> (2 - col) & 1)
          for (int dy = 0; dy < kDigitScale; ++dy)
            for (int dx = 0; dx < kDigitScale; ++dx)
              put(img, x0 + col * kDigitScale + dx, top + row * kDigitScale + dy, ink);
  }
}

}  // namespace

image::Image render_scene(const Scene& scene) {
  image::Image img;
  img.width = scene.width;
  img.height = scene.height;
  img.rgb.resize(std::size_t(img.width) * img.height * 3);
  const NamedColor& bg = background_colors()[scene.background];
  for (std::size_t i = 0; i < img.rgb.size(); i += 3) img.rgb[i] = bg.r, img.rgb[i + 1] = bg.g, img.rgb[i + 2] = bg.b;
  for (const Shape& s : scene.shapes) {
    const NamedColor& c = shape_colors()[s.color];
    for (int y = s.cy - s.size; y <= s.cy + s.size; ++y)
      for (int x = s.cx - s.size; x <= s.cx + s.size; ++x)
        if (covers(s, x, y)) put(img, x, y, c);
  }
  if (scene.number >= 0 && !scene.shapes.empty()) {
    const bool black = std::string(scene.number_color_name()) == "black";
    draw_number(img, scene.shapes.front(), scene.number,
                black ? NamedColor{"black", 0, 0, 0} : NamedColor{"white", 255, 255, 255});
  }
  if (scene.dark)  // an underexposed photo: a tenth of the light, too dark to tell what it shows
    for (auto& v : img.rgb) v = static_cast<std::uint8_t>(v / 10);
  return img;
}

}  // namespace mmh::demo
