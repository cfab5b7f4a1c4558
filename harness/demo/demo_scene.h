#pragma once
// What a demo image shows: one to three simple shapes of named colours on a
// plain background, or a coloured sign with a number (for the text-in-image
// tasks). Captions and questions are written from the Scene, the pixels are
// rendered from it (demo_images.h), so the text always matches the image.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "harness/demo/demo_random.h"

namespace mmh::demo {

enum class ShapeKind { kCircle, kSquare, kTriangle };
inline constexpr int kShapeKinds = 3;

struct NamedColor {
  const char* name;
  std::uint8_t r, g, b;
};

std::span<const NamedColor> shape_colors();       // red, green, blue, yellow, orange, purple, pink, brown
std::span<const NamedColor> background_colors();  // white, black, gray

const char* shape_name(ShapeKind kind);  // "circle"
int shape_sides(ShapeKind kind);         // circle 0, square 4, triangle 3

struct Shape {
  ShapeKind kind;
  int color;         // index into shape_colors()
  int cx, cy, size;  // centre, and side or diameter, in pixels
  const char* color_name() const { return shape_colors()[color].name; }
  const char* kind_name() const { return shape_name(kind); }
};

struct Scene {
  int width = 0, height = 0;
  int background = 0;         // index into background_colors()
  std::vector<Shape> shapes;  // left to right; kinds and colours are distinct
  int number = -1;            // >= 0: written on the first shape (a square sign)
  bool dark = false;          // underexposed, nothing can be told (VizWiz's unanswerable images)

  const char* background_name() const { return background_colors()[background].name; }
  bool has(ShapeKind kind) const;
  const Shape* find(ShapeKind kind) const;
  // The colour the number is written in: black on light signs, white on dark ones.
  const char* number_color_name() const;
};

struct SceneStyle {
  int min_shapes = 1, max_shapes = 3;
  bool sign_with_number = false;  // one square sign showing a number from 1 to 99
};

// Width and height in [64, 96]; shapes in left-to-right columns, never overlapping.
Scene draw_scene(DemoRandom& random, const SceneStyle& style);

}  // namespace mmh::demo
