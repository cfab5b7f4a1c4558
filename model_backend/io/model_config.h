#pragma once
// A checkpoint's config.json, resolved: transformers writes only the values
// that differ from the class defaults (save_pretrained), so every omitted key
// gets the default of transformers 4.44's config class here. The family comes
// from `model_type`; unsupported families are refused with the supported list.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mmh::weights {

struct VisionConfig {  // CLIPVisionConfig
  std::string model_type = "clip_vision_model";
  int hidden_size = 768;
  int intermediate_size = 3072;
  int num_hidden_layers = 12;
  int num_attention_heads = 12;
  int num_channels = 3;
  int image_size = 224;
  int patch_size = 32;
  double layer_norm_eps = 1e-5;
  std::string hidden_act = "quick_gelu";
  int num_patches() const { return (image_size / patch_size) * (image_size / patch_size); }
};

struct TextConfig {  // LlamaConfig
  std::string model_type = "llama";
  int vocab_size = 32000;
  int hidden_size = 4096;
  int intermediate_size = 11008;
  int num_hidden_layers = 32;
  int num_attention_heads = 32;
  int num_key_value_heads = 32;  // defaults to num_attention_heads
  int head_dim = 128;            // hidden_size / num_attention_heads unless given
  int max_position_embeddings = 2048;
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
  double rope_linear_factor = 1.0;  // rope_scaling {"type": "linear", "factor": f}
  std::string hidden_act = "silu";
  bool tie_word_embeddings = false;
  bool attention_bias = false;
  bool mlp_bias = false;
};

struct ModelConfig {
  std::string model_type;  // "llava"
  std::string torch_dtype;  // as saved ("float16", "bfloat16", "float32"); informational
  VisionConfig vision;
  TextConfig text;
  // LlavaConfig
  int image_token_index = 32000;
  std::optional<int> pad_token_id;
  std::string projector_hidden_act = "gelu";
  int vision_feature_layer = -2;
  std::string vision_feature_select_strategy = "default";  // "default" drops CLS, "full" keeps it

  // Image features per <image>: patches, plus CLS for strategy "full".
  int image_features_per_image() const;
};

// The families this build can run.
const std::vector<std::string>& supported_model_types();

// Reads DIR/config.json (or the file itself). Errors name the file and key.
ModelConfig read_model_config(const std::filesystem::path& dir_or_file);

}  // namespace mmh::weights
