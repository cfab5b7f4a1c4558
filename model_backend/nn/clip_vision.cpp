#include "model_backend/nn/clip_vision.h"

#include <cmath>

namespace mmh::backend::nn {

ClipVision::ClipVision(WeightLoader& w, const std::vector<std::string>& prefixes,
                       const weights::VisionConfig& config, int layers_to_run)
    : config_(config), act_(parse_activation(config.hidden_act)) {
  const std::int64_t d = config.hidden_size, inter = config.intermediate_size;
  const std::int64_t positions = config.num_patches() + 1;
  class_embedding_ = w.get(prefixes, "embeddings.class_embedding", {d});
  patch_embedding_ = w.get(prefixes, "embeddings.patch_embedding.weight",
                           {d, config.num_channels, config.patch_size, config.patch_size});
  position_embedding_ = w.get(prefixes, "embeddings.position_embedding.weight", {positions, d});
  pre_layrnorm_ = LayerNorm::load(w, prefixes, "pre_layrnorm", d, config.layer_norm_eps);
  for (int i = 0; i < layers_to_run; ++i) {
    const std::string p = "encoder.layers." + std::to_string(i) + ".";
    ClipEncoderLayer l;
    l.layer_norm1 = LayerNorm::load(w, prefixes, p + "layer_norm1", d, config.layer_norm_eps);
    l.layer_norm2 = LayerNorm::load(w, prefixes, p + "layer_norm2", d, config.layer_norm_eps);
    l.q_proj = Linear::load(w, prefixes, p + "self_attn.q_proj", d, d, true);
    l.k_proj = Linear::load(w, prefixes, p + "self_attn.k_proj", d, d, true);
    l.v_proj = Linear::load(w, prefixes, p + "self_attn.v_proj", d, d, true);
    l.out_proj = Linear::load(w, prefixes, p + "self_attn.out_proj", d, d, true);
    l.fc1 = Linear::load(w, prefixes, p + "mlp.fc1", d, inter, true);
    l.fc2 = Linear::load(w, prefixes, p + "mlp.fc2", inter, d, true);
    layers_.push_back(std::move(l));
  }
}

at::Tensor ClipVision::forward(const at::Tensor& pixel_values) const {
  const std::int64_t batch = pixel_values.size(0), d = config_.hidden_size;
  const std::int64_t heads = config_.num_attention_heads, head_dim = d / heads;
  const at::Tensor pixels = pixel_values.to(patch_embedding_.scalar_type());
  const at::Tensor patches = at::conv2d(pixels, patch_embedding_, {}, config_.patch_size)
                                 .flatten(2)
                                 .transpose(1, 2);  // [B, patches, d]
  at::Tensor x = at::cat({class_embedding_.expand({batch, 1, d}), patches}, 1) + position_embedding_.unsqueeze(0);
  x = pre_layrnorm_(x);
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  const std::int64_t len = x.size(1);
  auto split_heads = [&](const at::Tensor& t) { return t.view({batch, len, heads, head_dim}).transpose(1, 2); };
  for (const auto& l : layers_) {
    const at::Tensor h = l.layer_norm1(x);
    const at::Tensor attn = attention(split_heads(l.q_proj(h)), split_heads(l.k_proj(h)), split_heads(l.v_proj(h)),
                                      {}, scale);
    x = x + l.out_proj(attn.transpose(1, 2).reshape({batch, len, d}));
    x = x + l.fc2(activate(l.fc1(l.layer_norm2(x)), act_));
  }
  return x;
}

}  // namespace mmh::backend::nn
