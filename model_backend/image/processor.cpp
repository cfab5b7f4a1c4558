// CLIPImageProcessor and SiglipImageProcessor of transformers 4.44, on the
// decoded RGB image: resize (PIL, uint8) -> centre crop (uint8) -> rescale
// (float64 multiply, then float32) -> normalise (float32) -> CHW.
#include "model_backend/image/processor.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/json_file.h"

namespace mmh::image {

namespace {

using nlohmann::json;

constexpr const char* kClip = "CLIPImageProcessor";
constexpr const char* kSiglip = "SiglipImageProcessor";
constexpr const char* kSupported = "CLIPImageProcessor (or CLIPFeatureExtractor), SiglipImageProcessor";

// transformers.image_utils constants.
constexpr float kOpenAiClipMean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
constexpr float kOpenAiClipStd[3] = {0.26862954f, 0.26130258f, 0.27577711f};
constexpr float kImagenetStandard[3] = {0.5f, 0.5f, 0.5f};

class Config {
 public:
  Config(const json& root, std::string where) : root_(root), where_(std::move(where)) {}

  const json* get(const char* key) const {
    auto it = root_.find(key);
    return it == root_.end() || it->is_null() ? nullptr : &*it;
  }
  bool boolean(const char* key, bool fallback) const {
    const json* v = get(key);
    if (!v) return fallback;
    if (!v->is_boolean()) fail(key, "must be true or false");
    return v->get<bool>();
  }
  double number(const char* key, double fallback) const {
    const json* v = get(key);
    if (!v) return fallback;
    if (!v->is_number()) fail(key, "must be a number");
    return v->get<double>();
  }
  int positive(const json& v, const std::string& key) const {
    if (!v.is_number_integer() || v.get<long long>() <= 0 || v.get<long long>() > (1 << 20))
      fail(key, "must be a positive integer (at most 1048576)");
    return static_cast<int>(v.get<long long>());
  }
  // image_mean / image_std: one number for every channel, or three.
  void channels(const char* key, const float (&fallback)[3], float (&out)[3]) const {
    const json* v = get(key);
    for (int c = 0; c < 3; ++c) out[c] = fallback[c];
    if (!v) return;
    if (v->is_number()) {
      for (float& f : out) f = static_cast<float>(v->get<double>());
      return;
    }
    if (!v->is_array() || v->size() != 3) fail(key, "must be a number or a list of 3 numbers (R, G, B)");
    for (int c = 0; c < 3; ++c) {
      if (!(*v)[c].is_number()) fail(key, "must be a number or a list of 3 numbers (R, G, B)");
      out[c] = static_cast<float>((*v)[c].get<double>());  // numpy float32 of the Python float
    }
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw Error(where_, "\"" + key + "\" " + what);
  }
  const std::string& where() const { return where_; }

 private:
  const json& root_;
  std::string where_;
};

std::string processor_type(const Config& config) {
  if (const json* t = config.get("image_processor_type")) {
    if (!t->is_string()) config.fail("image_processor_type", "must be a string");
    const std::string type = t->get<std::string>();
    if (type == kClip || type == kSiglip) return type;
    throw Error(config.where(), "image_processor_type \"" + type + "\" is not supported; supported: " + kSupported);
  }
  // Older checkpoints (e.g. openai/clip-vit-*) only name the feature
  // extractor, which transformers maps to the image processor.
  if (const json* t = config.get("feature_extractor_type")) {
    if (t->is_string() && t->get<std::string>() == "CLIPFeatureExtractor") return kClip;
    throw Error(config.where(), "feature_extractor_type " + t->dump() + " is not supported; supported: " + kSupported);
  }
  throw Error(config.where(), std::string("has no image_processor_type; supported: ") + kSupported);
}

std::string format_double(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

std::string format_floats(const float (&v)[3]) {
  char text[96];
  std::snprintf(text, sizeof text, "%.9g,%.9g,%.9g", v[0], v[1], v[2]);
  return text;
}

}  // namespace

ImageProcessor ImageProcessor::load(const std::filesystem::path& preprocessor_config_json) {
  const json root = read_json_file(preprocessor_config_json);
  const std::string where = preprocessor_config_json.string();
  if (!root.is_object()) throw Error(where, "must hold a JSON object");
  const Config config(root, where);

  ImageProcessor p;
  p.type_ = processor_type(config);
  const bool clip = p.type_ == kClip;

  p.do_resize_ = config.boolean("do_resize", true);
  const json* resample = config.get("resample");
  if (resample && !resample->is_number_integer()) config.fail("resample", "must be an integer (PIL filter number)");
  p.resample_ = resample ? resample_from_pil(resample->get<long long>(), where + ": \"resample\"") : Resample::kBicubic;

  // "size": transformers' get_size_dict; CLIP reads an int as the shortest
  // edge, SigLIP needs an exact height and width.
  p.size_rule_ = clip ? SizeRule::kShortestEdge : SizeRule::kExact;
  p.shortest_edge_ = 224;
  p.size_height_ = p.size_width_ = 224;
  if (const json* size = config.get("size")) {
    if (size->is_number_integer() && clip) {
      p.shortest_edge_ = config.positive(*size, "size");
    } else if (size->is_array() && size->size() == 2) {
      p.size_rule_ = SizeRule::kExact;
      p.size_height_ = config.positive((*size)[0], "size[0]");
      p.size_width_ = config.positive((*size)[1], "size[1]");
    } else if (size->is_object() && clip && size->contains("shortest_edge")) {
      // CLIPImageProcessor.resize uses only shortest_edge, even next to longest_edge.
      p.shortest_edge_ = config.positive(size->at("shortest_edge"), "size.shortest_edge");
      if (config.boolean("use_square_size", false)) {  // KOSMOS-2 compatibility in CLIP's __init__
        p.size_rule_ = SizeRule::kExact;
        p.size_height_ = p.size_width_ = p.shortest_edge_;
      }
    } else if (size->is_object() && size->contains("height") && size->contains("width")) {
      p.size_rule_ = SizeRule::kExact;
      p.size_height_ = config.positive(size->at("height"), "size.height");
      p.size_width_ = config.positive(size->at("width"), "size.width");
    } else {
      config.fail("size", std::string("must be ") +
                              (clip ? "{\"shortest_edge\": N}, {\"height\": H, \"width\": W}, N or [H, W]"
                                    : "{\"height\": H, \"width\": W} or [H, W]") +
                              " for " + p.type_ + "; got " + size->dump());
    }
  }

  p.do_center_crop_ = clip && config.boolean("do_center_crop", true);
  p.crop_height_ = p.crop_width_ = 224;
  if (const json* crop = config.get("crop_size"); crop && clip) {
    if (crop->is_number_integer()) {
      p.crop_height_ = p.crop_width_ = config.positive(*crop, "crop_size");
    } else if (crop->is_array() && crop->size() == 2) {
      p.crop_height_ = config.positive((*crop)[0], "crop_size[0]");
      p.crop_width_ = config.positive((*crop)[1], "crop_size[1]");
    } else if (crop->is_object() && crop->contains("height") && crop->contains("width")) {
      p.crop_height_ = config.positive(crop->at("height"), "crop_size.height");
      p.crop_width_ = config.positive(crop->at("width"), "crop_size.width");
    } else {
      config.fail("crop_size", "must be {\"height\": H, \"width\": W}, N or [H, W]; got " + crop->dump());
    }
  }

  p.do_rescale_ = config.boolean("do_rescale", true);
  p.rescale_factor_ = config.number("rescale_factor", 1.0 / 255.0);
  p.do_normalize_ = config.boolean("do_normalize", true);
  config.channels("image_mean", clip ? kOpenAiClipMean : kImagenetStandard, p.mean_);
  config.channels("image_std", clip ? kOpenAiClipStd : kImagenetStandard, p.std_);
  // SigLIP's default is None (no conversion); decoding always yields RGB, so
  // the flag is read for validation only.
  p.do_convert_rgb_ = config.boolean("do_convert_rgb", clip);
  return p;
}

Image ImageProcessor::resize_step(const Image& image) const {
  if (!do_resize_) return image;
  if (size_rule_ == SizeRule::kExact) return resize(image, size_width_, size_height_, resample_);
  // get_resize_output_image_size(default_to_square=False): the short side
  // becomes shortest_edge, the long one int(shortest_edge * long / short).
  const bool portrait = image.width <= image.height;
  const int short_side = portrait ? image.width : image.height;
  const int long_side = portrait ? image.height : image.width;
  if (short_side <= 0) throw Error("resize: the source image is empty");
  const int new_long =
      static_cast<int>(static_cast<double>(static_cast<long long>(shortest_edge_) * long_side) / short_side);
  return portrait ? resize(image, shortest_edge_, new_long, resample_)
                  : resize(image, new_long, shortest_edge_, resample_);
}

Image ImageProcessor::crop_step(const Image& image) const {
  Image resized = resize_step(image);
  if (!do_center_crop_) return resized;
  return center_crop(resized, crop_width_, crop_height_);
}

PixelValues ImageProcessor::preprocess(const Image& image) const {
  const Image img = crop_step(image);
  PixelValues out;
  out.channels = 3;
  out.height = img.height;
  out.width = img.width;
  const std::size_t plane = static_cast<std::size_t>(img.width) * img.height;
  out.chw.resize(plane * 3);
  for (std::size_t i = 0; i < plane; ++i) {
    for (int c = 0; c < 3; ++c) {
      const std::uint8_t u = img.rgb[i * 3 + c];
      // rescale(): image.astype(float64) * scale, then astype(float32).
      float x = do_rescale_ ? static_cast<float>(static_cast<double>(u) * rescale_factor_) : static_cast<float>(u);
      if (do_normalize_) x = (x - mean_[c]) / std_[c];  // float32 arrays in numpy
      out.chw[c * plane + i] = x;
    }
  }
  return out;
}

int ImageProcessor::output_height() const {
  if (do_center_crop_) return crop_height_;
  return do_resize_ && size_rule_ == SizeRule::kExact ? size_height_ : 0;
}

int ImageProcessor::output_width() const {
  if (do_center_crop_) return crop_width_;
  return do_resize_ && size_rule_ == SizeRule::kExact ? size_width_ : 0;
}

std::string ImageProcessor::fingerprint() const {
  // do_convert_rgb is left out: decoding always yields RGB, so it cannot
  // change the output. The version tag changes if the pipeline ever does.
  std::string f = "mmh_image.v1;" + type_;
  if (do_resize_) {
    f += size_rule_ == SizeRule::kShortestEdge
             ? ";resize=shortest_edge:" + std::to_string(shortest_edge_)
             : ";resize=" + std::to_string(size_height_) + "x" + std::to_string(size_width_);
    f += std::string(";resample=") + resample_name(resample_);
  } else {
    f += ";resize=off";
  }
  f += do_center_crop_ ? ";crop=" + std::to_string(crop_height_) + "x" + std::to_string(crop_width_) : ";crop=off";
  f += do_rescale_ ? ";rescale=" + format_double(rescale_factor_) : ";rescale=off";
  f += do_normalize_ ? ";mean=" + format_floats(mean_) + ";std=" + format_floats(std_) : ";normalize=off";
  return f;
}

}  // namespace mmh::image
