#pragma once
// Hugging Face image processors from preprocessor_config.json, torch-free:
// CLIPImageProcessor (also written as CLIPFeatureExtractor) and
// SiglipImageProcessor of transformers 4.44. Missing keys take that class's
// defaults; unknown processor types are refused. See docs/images.md.
#include <filesystem>
#include <string>
#include <vector>

#include "model_backend/image/image.h"

namespace mmh::image {

// CHW float32, what the processor's pixel_values hold for one image.
struct PixelValues {
  int channels = 3, height = 0, width = 0;
  std::vector<float> chw;
};

class ImageProcessor {
 public:
  static ImageProcessor load(const std::filesystem::path& preprocessor_config_json);

  // The full pipeline: resize, centre crop, rescale, normalise, HWC -> CHW.
  PixelValues preprocess(const Image& image) const;

  // The size preprocess() always produces; 0 when it depends on the input
  // image (no centre crop after a shortest-edge resize, or no resize at all).
  int output_height() const;
  int output_width() const;

  // Stable text of every setting that changes the output (feature cache key).
  std::string fingerprint() const;

  // Exposed for tests, both from the decoded image: the uint8 image after the
  // resize step, and after resize + centre crop (equal to resize_step when
  // the processor does not crop).
  Image resize_step(const Image& image) const;
  Image crop_step(const Image& image) const;

  const std::string& type() const { return type_; }

 private:
  enum class SizeRule { kShortestEdge, kExact };

  std::string type_;  // "CLIPImageProcessor" or "SiglipImageProcessor"
  bool do_resize_ = true;
  SizeRule size_rule_ = SizeRule::kShortestEdge;
  int shortest_edge_ = 0;
  int size_height_ = 0, size_width_ = 0;
  Resample resample_ = Resample::kBicubic;
  bool do_center_crop_ = false;
  int crop_height_ = 0, crop_width_ = 0;
  bool do_rescale_ = true;
  double rescale_factor_ = 1.0 / 255.0;
  bool do_normalize_ = true;
  float mean_[3] = {0, 0, 0};
  float std_[3] = {1, 1, 1};
  bool do_convert_rgb_ = true;
};

}  // namespace mmh::image
