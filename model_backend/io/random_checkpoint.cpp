#include "model_backend/io/random_checkpoint.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "common/error.h"
#include "model_backend/io/safetensors.h"

namespace mmh::weights {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class TensorWriter {
 public:
  explicit TensorWriter(std::uint64_t seed) : rng_(seed) {}

  // Normal(0, std) weights; norms get 1 + noise, biases small noise.
  void add(const std::string& name, std::vector<std::int64_t> shape, float mean, float stddev) {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    std::normal_distribution<float> normal(mean, stddev);
    std::vector<float> values(static_cast<std::size_t>(n));
    for (auto& v : values) v = normal(rng_);
    names_.push_back(name);
    shapes_.push_back(std::move(shape));
    data_.push_back(std::move(values));
  }
  void linear(const std::string& name, std::int64_t in, std::int64_t out, bool bias) {
    add(name + ".weight", {out, in}, 0.f, 1.f / std::sqrt(static_cast<float>(in)));
    if (bias) add(name + ".bias", {out}, 0.f, 0.02f);
  }
  void norm(const std::string& name, std::int64_t dim, bool bias) {
    add(name + ".weight", {dim}, 1.f, 0.05f);
    if (bias) add(name + ".bias", {dim}, 0.f, 0.02f);
  }
  void write(const fs::path& path) const {
    std::vector<TensorToWrite> tensors;
    for (std::size_t i = 0; i < names_.size(); ++i)
      tensors.push_back({names_[i], DType::kF32, shapes_[i], data_[i].data(), data_[i].size() * sizeof(float)});
    write_safetensors(path, tensors);
  }

 private:
  std::mt19937_64 rng_;
  std::vector<std::string> names_;
  std::vector<std::vector<std::int64_t>> shapes_;
  std::vector<std::vector<float>> data_;
};

void write_json(const fs::path& path, const json& doc) {
  std::ofstream out(path);
  out << doc.dump(2) << "\n";
  if (!out) throw Error(path.string(), "cannot write");
}

}  // namespace

void write_random_llava(const fs::path& out_dir, const RandomLlavaSpec& s) {
  fs::create_directories(out_dir);
  json config = {
      {"architectures", {"LlavaForConditionalGeneration"}},
      {"model_type", "llava"},
      {"image_token_index", s.image_token_index},
      {"pad_token_id", s.pad_token_id},
      {"projector_hidden_act", "gelu"},
      {"vision_feature_layer", -2},
      {"vision_feature_select_strategy", "default"},
      {"torch_dtype", "float32"},
      {"vision_config",
       {{"model_type", "clip_vision_model"}, {"hidden_size", s.vision_hidden},
        {"intermediate_size", s.vision_intermediate}, {"num_hidden_layers", s.vision_layers},
        {"num_attention_heads", s.vision_heads}, {"image_size", s.image_size}, {"patch_size", s.patch_size}}},
      {"text_config",
       {{"model_type", "llama"}, {"hidden_size", s.text_hidden}, {"intermediate_size", s.text_intermediate},
        {"num_hidden_layers", s.text_layers}, {"num_attention_heads", s.text_heads},
        {"num_key_value_heads", s.text_kv_heads}, {"max_position_embeddings", s.max_positions},
        {"rms_norm_eps", 1e-5}, {"vocab_size", s.vocab_size}, {"pad_token_id", s.pad_token_id}}},
  };
  write_json(out_dir / "config.json", config);
  write_json(out_dir / "generation_config.json", {{"bos_token_id", 1}, {"eos_token_id", 2}, {"pad_token_id", s.pad_token_id}});
  write_json(out_dir / "preprocessor_config.json",
             {{"image_processor_type", "CLIPImageProcessor"},
              {"crop_size", {{"height", s.image_size}, {"width", s.image_size}}},
              {"do_center_crop", true}, {"do_convert_rgb", true}, {"do_normalize", true}, {"do_rescale", true},
              {"do_resize", true}, {"image_mean", {0.48145466, 0.4578275, 0.40821073}},
              {"image_std", {0.26862954, 0.26130258, 0.27577711}}, {"resample", 3},
              {"rescale_factor", 1.0 / 255}, {"size", {{"shortest_edge", s.image_size}}}});

  const std::int64_t vd = s.vision_hidden, vi = s.vision_intermediate, td = s.text_hidden, ti = s.text_intermediate;
  const std::int64_t head_dim = td / s.text_heads, kv = std::int64_t(s.text_kv_heads) * head_dim;
  const std::int64_t patches = std::int64_t(s.image_size / s.patch_size) * (s.image_size / s.patch_size);
  TensorWriter w(s.seed);
  const std::string v = "vision_tower.vision_model.";
  w.add(v + "embeddings.class_embedding", {vd}, 0.f, 0.02f);
  w.add(v + "embeddings.patch_embedding.weight", {vd, 3, s.patch_size, s.patch_size}, 0.f,
        1.f / std::sqrt(3.f * s.patch_size * s.patch_size));
  w.add(v + "embeddings.position_embedding.weight", {patches + 1, vd}, 0.f, 0.02f);
  w.norm(v + "pre_layrnorm", vd, true);
  for (int i = 0; i < s.vision_layers; ++i) {
    const std::string p = v + "encoder.layers." + std::to_string(i) + ".";
    for (const char* proj : {"q_proj", "k_proj", "v_proj", "out_proj"}) w.linear(p + "self_attn." + proj, vd, vd, true);
    w.norm(p + "layer_norm1", vd, true);
    w.linear(p + "mlp.fc1", vd, vi, true);
    w.linear(p + "mlp.fc2", vi, vd, true);
    w.norm(p + "layer_norm2", vd, true);
  }
  w.norm(v + "post_layernorm", vd, true);
  w.linear("multi_modal_projector.linear_1", vd, td, true);
  w.linear("multi_modal_projector.linear_2", td, td, true);
  const std::string m = "language_model.model.";
  w.add(m + "embed_tokens.weight", {s.vocab_size, td}, 0.f, 1.f);
  for (int i = 0; i < s.text_layers; ++i) {
    const std::string p = m + "layers." + std::to_string(i) + ".";
    w.linear(p + "self_attn.q_proj", td, td, false);
    w.linear(p + "self_attn.k_proj", td, kv, false);
    w.linear(p + "self_attn.v_proj", td, kv, false);
    w.linear(p + "self_attn.o_proj", td, td, false);
    w.linear(p + "mlp.gate_proj", td, ti, false);
    w.linear(p + "mlp.up_proj", td, ti, false);
    w.linear(p + "mlp.down_proj", ti, td, false);
    w.norm(p + "input_layernorm", td, false);
    w.norm(p + "post_attention_layernorm", td, false);
  }
  w.norm(m + "norm", td, false);
  w.linear("language_model.lm_head", td, s.vocab_size, false);
  w.write(out_dir / "model.safetensors");

  bool copied = false;
  for (const char* name : {"tokenizer.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                           "added_tokens.json"}) {
    const fs::path from = s.tokenizer_from / name;
    if (!fs::exists(from)) continue;
    fs::copy_file(from, out_dir / name, fs::copy_options::overwrite_existing);
    copied = copied || std::string(name).rfind("tokenizer.", 0) == 0;
  }
  if (!copied) throw Error(s.tokenizer_from.string(), "holds no tokenizer.model or tokenizer.json to copy");
}

}  // namespace mmh::weights
