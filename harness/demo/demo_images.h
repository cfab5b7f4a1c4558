#pragma once
// Rasterises a demo Scene into RGB pixels: plain background, solid shapes
// tested at pixel centres in integer arithmetic (no anti-aliasing, so the
// pixels are the same on every platform), a 3x5 pixel font for numbers.
#include "harness/demo/demo_scene.h"
#include "model_backend/image/image.h"

namespace mmh::demo {

image::Image render_scene(const Scene& scene);

}  // namespace mmh::demo
