#include "model_backend/io/model_config.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/json_file.h"

namespace mmh::weights {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Reads obj[key] into out when present and not null; a value of the wrong type is an error.
class Reader {
 public:
  Reader(const json& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  template <class T>
  void get(const char* key, T& out) const {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return;
    try {
      if constexpr (std::is_same_v<T, int>) {
        if (!it->is_number_integer()) throw std::invalid_argument("an integer");
      } else if constexpr (std::is_same_v<T, double>) {
        if (!it->is_number()) throw std::invalid_argument("a number");
      } else if constexpr (std::is_same_v<T, bool>) {
        if (!it->is_boolean()) throw std::invalid_argument("true or false");
      } else {
        if (!it->is_string()) throw std::invalid_argument("a string");
      }
      out = it->get<T>();
    } catch (const std::invalid_argument& e) {
      throw Error(where_, std::string("\"") + key + "\" must be " + e.what() + ", not " + it->dump());
    }
  }
  void positive(const char* key, int& out) const {
    get(key, out);
    if (out <= 0) throw Error(where_, std::string("\"") + key + "\" must be positive, not " + std::to_string(out));
  }
  const json* object(const char* key) const {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return nullptr;
    if (!it->is_object()) throw Error(where_, std::string("\"") + key + "\" must be an object");
    return &*it;
  }
  const std::string& where() const { return where_; }

 private:
  const json& obj_;
  std::string where_;
};

// LlavaConfig's default vision tower when vision_config is absent: CLIP ViT-L/14-336.
VisionConfig llava_default_vision() {
  VisionConfig v;
  v.hidden_size = 1024;
  v.intermediate_size = 4096;
  v.patch_size = 14;
  v.image_size = 336;
  v.num_hidden_layers = 24;
  v.num_attention_heads = 16;
  return v;
}

VisionConfig read_vision(const json& obj, const std::string& where) {
  // A vision_config that is present starts from CLIPVisionConfig's own defaults.
  VisionConfig v;
  const Reader r(obj, where + ": vision_config");
  r.get("model_type", v.model_type);
  if (v.model_type != "clip_vision_model")
    throw Error(r.where(), "model_type \"" + v.model_type + "\" is not supported (supported: clip_vision_model)");
  r.positive("hidden_size", v.hidden_size);
  r.positive("intermediate_size", v.intermediate_size);
  r.positive("num_hidden_layers", v.num_hidden_layers);
  r.positive("num_attention_heads", v.num_attention_heads);
  r.positive("num_channels", v.num_channels);
  r.positive("image_size", v.image_size);
  r.positive("patch_size", v.patch_size);
  r.get("layer_norm_eps", v.layer_norm_eps);
  r.get("hidden_act", v.hidden_act);
  if (v.hidden_size % v.num_attention_heads)
    throw Error(r.where(), "hidden_size is not a multiple of num_attention_heads");
  if (v.image_size % v.patch_size) throw Error(r.where(), "image_size is not a multiple of patch_size");
  if (v.hidden_act != "quick_gelu" && v.hidden_act != "gelu")
    throw Error(r.where(), "hidden_act \"" + v.hidden_act + "\" is not supported (quick_gelu, gelu)");
  return v;
}

TextConfig read_text(const json& obj, const std::string& where) {
  TextConfig t;
  const Reader r(obj, where + ": text_config");
  r.get("model_type", t.model_type);
  if (t.model_type != "llama")
    throw Error(r.where(), "model_type \"" + t.model_type + "\" is not supported (supported: llama)");
  r.positive("vocab_size", t.vocab_size);
  r.positive("hidden_size", t.hidden_size);
  r.positive("intermediate_size", t.intermediate_size);
  r.positive("num_hidden_layers", t.num_hidden_layers);
  r.positive("num_attention_heads", t.num_attention_heads);
  t.num_key_value_heads = t.num_attention_heads;
  r.positive("num_key_value_heads", t.num_key_value_heads);
  if (t.hidden_size % t.num_attention_heads)
    throw Error(r.where(), "hidden_size is not a multiple of num_attention_heads");
  t.head_dim = t.hidden_size / t.num_attention_heads;
  r.positive("head_dim", t.head_dim);
  if (t.num_attention_heads % t.num_key_value_heads)
    throw Error(r.where(), "num_attention_heads is not a multiple of num_key_value_heads");
  r.positive("max_position_embeddings", t.max_position_embeddings);
  r.get("rms_norm_eps", t.rms_norm_eps);
  r.get("rope_theta", t.rope_theta);
  r.get("hidden_act", t.hidden_act);
  if (t.hidden_act != "silu") throw Error(r.where(), "hidden_act \"" + t.hidden_act + "\" is not supported (silu)");
  r.get("tie_word_embeddings", t.tie_word_embeddings);
  r.get("attention_bias", t.attention_bias);
  r.get("mlp_bias", t.mlp_bias);
  if (int tp = 1; (r.get("pretraining_tp", tp), tp != 1))
    throw Error(r.where(), "pretraining_tp " + std::to_string(tp) + " is not supported (1)");
  if (const json* scaling = r.object("rope_scaling")) {
    const Reader s(*scaling, r.where() + ": rope_scaling");
    std::string type;
    s.get("type", type);
    s.get("rope_type", type);
    if (type != "linear")
      throw Error(s.where(), "rope type \"" + type + "\" is not supported (linear, or no rope_scaling)");
    s.get("factor", t.rope_linear_factor);
    if (!(t.rope_linear_factor > 0)) throw Error(s.where(), "factor must be positive");
  }
  return t;
}

}  // namespace

int ModelConfig::image_features_per_image() const {
  return vision.num_patches() + (vision_feature_select_strategy == "full" ? 1 : 0);
}

const std::vector<std::string>& supported_model_types() {
  static const std::vector<std::string> types = {"llava"};
  return types;
}

ModelConfig read_model_config(const fs::path& dir_or_file) {
  const fs::path path = fs::is_directory(dir_or_file) ? dir_or_file / "config.json" : dir_or_file;
  check_input_file(path);
  const json doc = read_json_file(path);
  const std::string where = path.string();
  if (!doc.is_object()) throw Error(where, "is not a JSON object");
  ModelConfig c;
  const Reader r(doc, where);
  r.get("model_type", c.model_type);
  std::string supported;
  for (const auto& t : supported_model_types()) supported += (supported.empty() ? "" : ", ") + t;
  if (c.model_type.empty()) throw Error(where, "has no \"model_type\" (supported: " + supported + ")");
  if (c.model_type != "llava")
    throw Error(where, "model family \"" + c.model_type + "\" is not supported (supported: " + supported + ")");
  r.get("torch_dtype", c.torch_dtype);
  const json* vision = r.object("vision_config");
  const json* text = r.object("text_config");
  c.vision = vision ? read_vision(*vision, where) : llava_default_vision();
  c.text = text ? read_text(*text, where) : TextConfig{};
  r.get("image_token_index", c.image_token_index);
  int pad = -1;
  r.get("pad_token_id", pad);
  if (pad >= 0) c.pad_token_id = pad;
  r.get("projector_hidden_act", c.projector_hidden_act);
  if (c.projector_hidden_act != "gelu")
    throw Error(where, "projector_hidden_act \"" + c.projector_hidden_act + "\" is not supported (gelu)");
  r.get("vision_feature_layer", c.vision_feature_layer);
  const int layers = c.vision.num_hidden_layers;
  // hidden_states has layers + 1 entries (the embeddings first), indexed like Python.
  if (c.vision_feature_layer < -(layers + 1) || c.vision_feature_layer > layers)
    throw Error(where, "vision_feature_layer " + std::to_string(c.vision_feature_layer) + " is out of range for " +
                           std::to_string(layers) + " vision layers");
  r.get("vision_feature_select_strategy", c.vision_feature_select_strategy);
  if (c.vision_feature_select_strategy != "default" && c.vision_feature_select_strategy != "full")
    throw Error(where, "vision_feature_select_strategy \"" + c.vision_feature_select_strategy +
                           "\" is not supported (default, full)");
  if (c.image_token_index < 0 || c.image_token_index >= c.text.vocab_size)
    throw Error(where, "image_token_index " + std::to_string(c.image_token_index) + " is outside the vocabulary (" +
                           std::to_string(c.text.vocab_size) + ")");
  return c;
}

}  // namespace mmh::weights
