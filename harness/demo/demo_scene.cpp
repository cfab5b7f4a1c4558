#include "harness/demo/demo_scene.h"

#include <algorithm>
#include <array>

namespace mmh::demo {
namespace {

// Far apart in RGB, so they stay distinct after the image processor's resize; named as a person would.
constexpr std::array<NamedColor, 8> kShapeColors = {{{"red", 220, 30, 35},
                                                     {"green", 35, 160, 60},
                                                     {"blue", 35, 75, 215},
                                                     {"yellow", 245, 215, 40},
                                                     {"orange", 245, 135, 25},
                                                     {"purple", 135, 55, 170},
                                                     {"pink", 245, 120, 185},
                                                     {"brown", 125, 75, 35}}};
constexpr std::array<NamedColor, 3> kBackgrounds = {
    {{"white", 250, 250, 250}, {"black", 15, 15, 15}, {"gray", 135, 135, 135}}};

}  // namespace

std::span<const NamedColor> shape_colors() { return kShapeColors; }
std::span<const NamedColor> background_colors() { return kBackgrounds; }

const char* shape_name(ShapeKind kind) {
  switch (kind) {
    case ShapeKind::kCircle: return "circle";
    case ShapeKind::kSquare: return "square";
    case ShapeKind::kTriangle: return "triangle";
  }
  return "shape";
}

int shape_sides(ShapeKind kind) {
  switch (kind) {
    case ShapeKind::kCircle: return 0;
    case ShapeKind::kSquare: return 4;
    case ShapeKind::kTriangle: return 3;
  }
  return 0;
}

bool Scene::has(ShapeKind kind) const { return find(kind) != nullptr; }

const Shape* Scene::find(ShapeKind kind) const {
  for (const Shape& s : shapes)
    if (s.kind == kind) return &s;
  return nullptr;
}

const char* Scene::number_color_name() const {
  if (shapes.empty()) return "black";
  const std::string name = shapes.front().color_name();
  return name == "yellow" || name == "orange" || name == "pink" ? "black" : "white";
}

Scene draw_scene(DemoRandom& random, const SceneStyle& style) {
  Scene scene;
  scene.width = random.between(64, 96);
  scene.height = random.between(64, 96);
  scene.background = static_cast<int>(random.below(kBackgrounds.size()));

  std::vector<int> kinds = {0, 1, 2}, colors = {0, 1, 2, 3, 4, 5, 6, 7};
  random.shuffle(kinds);
  random.shuffle(colors);
  if (style.sign_with_number) {
    // A sign large enough for two 3x5 digits drawn three pixels to a dot.
    const int side = random.between(40, std::min(scene.width, scene.height) - 8);
    scene.shapes.push_back({ShapeKind::kSquare, colors[0], scene.width / 2, scene.height / 2, side});
    scene.number = random.between(1, 99);
    return scene;
  }
  const int count = random.between(style.min_shapes, style.max_shapes);
  const int column = scene.width / count;
  for (int i = 0; i < count; ++i) {
    const int room = std::min(column, scene.height) - 4;
    const int size = random.between(room * 5 / 10, room * 8 / 10);
    const int slack_x = column - size, slack_y = scene.height - size;
    const int cx = i * column + size / 2 + random.between(1, std::max(1, slack_x - 1));
    const int cy = size / 2 + random.between(1, std::max(1, slack_y - 1));
    scene.shapes.push_back({static_cast<ShapeKind>(kinds[i]), colors[i], cx, cy, size});
  }
  return scene;
}

}  // namespace mmh::demo
