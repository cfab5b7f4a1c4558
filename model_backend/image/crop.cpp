// transformers 4.44 image_transforms.center_crop on an HWC uint8 image.
#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "model_backend/image/image.h"

namespace mmh::image {

namespace {
// Python's // (floor division), which differs from C++'s / for negatives.
int floor_div2(int v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }
int ceil_half(int v) { return (v + 1) / 2; }  // math.ceil(v / 2) for v >= 0
}  // namespace

Image center_crop(const Image& image, int width, int height) {
  if (width <= 0 || height <= 0)
    throw Error("center_crop: crop size " + std::to_string(width) + "x" + std::to_string(height) +
                " is not positive");
  if (image.rgb.size() != static_cast<std::size_t>(image.width) * image.height * 3)
    throw Error("center_crop: the image's pixel buffer does not match its size");
  int top = floor_div2(image.height - height), left = floor_div2(image.width - width);
  int bottom = top + height, right = left + width;

  // The source as transformers sees it: the image itself, or (when the crop
  // is larger) the image zero-padded to max(crop, image) on each axis.
  int src_w = image.width, src_h = image.height, pad_top = 0, pad_left = 0;
  if (!(top >= 0 && bottom <= image.height && left >= 0 && right <= image.width)) {
    src_h = std::max(height, image.height);
    src_w = std::max(width, image.width);
    pad_top = ceil_half(src_h - image.height);
    pad_left = ceil_half(src_w - image.width);
    top += pad_top, bottom += pad_top, left += pad_left, right += pad_left;
    top = std::max(0, top), left = std::max(0, left);
    bottom = std::min(src_h, bottom), right = std::min(src_w, right);
  }
  Image out;
  out.width = right - left;
  out.height = bottom - top;
  out.rgb.assign(static_cast<std::size_t>(out.width) * out.height * 3, 0);
  for (int y = 0; y < out.height; ++y) {
    const int sy = y + top - pad_top;  // row in the unpadded image
    if (sy < 0 || sy >= image.height) continue;
    for (int x = 0; x < out.width; ++x) {
      const int sx = x + left - pad_left;
      if (sx < 0 || sx >= image.width) continue;
      std::memcpy(&out.rgb[(static_cast<std::size_t>(y) * out.width + x) * 3],
                  &image.rgb[(static_cast<std::size_t>(sy) * image.width + sx) * 3], 3);
    }
  }
  return out;
}

}  // namespace mmh::image
