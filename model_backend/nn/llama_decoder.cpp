#include "model_backend/nn/llama_decoder.h"

#include <cmath>

namespace mmh::backend::nn {

LlamaDecoder::LlamaDecoder(WeightLoader& w, const std::vector<std::string>& model_prefixes,
                           const std::vector<std::string>& head_prefixes, const weights::TextConfig& config)
    : config_(config) {
  const std::int64_t d = config.hidden_size, inter = config.intermediate_size, vocab = config.vocab_size;
  const std::int64_t q_dim = std::int64_t(config.num_attention_heads) * config.head_dim;
  const std::int64_t kv_dim = std::int64_t(config.num_key_value_heads) * config.head_dim;
  embed_tokens_ = w.get(model_prefixes, "embed_tokens.weight", {vocab, d});
  for (int i = 0; i < config.num_hidden_layers; ++i) {
    const std::string p = "layers." + std::to_string(i) + ".";
    Layer l;
    l.input_layernorm = RMSNorm::load(w, model_prefixes, p + "input_layernorm", d, config.rms_norm_eps);
    l.post_attention_layernorm = RMSNorm::load(w, model_prefixes, p + "post_attention_layernorm", d, config.rms_norm_eps);
    l.q_proj = Linear::load(w, model_prefixes, p + "self_attn.q_proj", d, q_dim, config.attention_bias);
    l.k_proj = Linear::load(w, model_prefixes, p + "self_attn.k_proj", d, kv_dim, config.attention_bias);
    l.v_proj = Linear::load(w, model_prefixes, p + "self_attn.v_proj", d, kv_dim, config.attention_bias);
    l.o_proj = Linear::load(w, model_prefixes, p + "self_attn.o_proj", q_dim, d, config.attention_bias);
    l.gate_proj = Linear::load(w, model_prefixes, p + "mlp.gate_proj", d, inter, config.mlp_bias);
    l.up_proj = Linear::load(w, model_prefixes, p + "mlp.up_proj", d, inter, config.mlp_bias);
    l.down_proj = Linear::load(w, model_prefixes, p + "mlp.down_proj", inter, d, config.mlp_bias);
    layers_.push_back(std::move(l));
  }
  norm_ = RMSNorm::load(w, model_prefixes, "norm", d, config.rms_norm_eps);
  // A tied head reuses the embeddings; some tied checkpoints still store lm_head, which is then used.
  lm_head_ = config.tie_word_embeddings ? w.get_optional(head_prefixes, "weight", {vocab, d})
                                        : w.get(head_prefixes, "weight", {vocab, d});
  if (!lm_head_.defined()) lm_head_ = embed_tokens_;
  // As transformers computes it: 1 / theta^(arange(0, dim, 2) / dim), in float32.
  const auto f32 = at::TensorOptions().dtype(at::kFloat);
  inv_freq_ = 1.0 / at::pow(config.rope_theta, at::arange(0, config.head_dim, 2, f32.dtype(at::kLong)).to(at::kFloat) /
                                                  static_cast<double>(config.head_dim));
  inv_freq_ = inv_freq_.to(w.placement().device);
}

at::Tensor LlamaDecoder::embed(const at::Tensor& ids) const { return at::embedding(embed_tokens_, ids); }

KvCache LlamaDecoder::new_cache(std::int64_t batch, std::int64_t capacity) const {
  KvCache cache;
  const auto opts = embed_tokens_.options();
  for (int i = 0; i < config_.num_hidden_layers; ++i) {
    cache.keys.push_back(at::zeros({batch, config_.num_key_value_heads, capacity, config_.head_dim}, opts));
    cache.values.push_back(at::zeros({batch, config_.num_key_value_heads, capacity, config_.head_dim}, opts));
  }
  cache.key_valid = at::zeros({batch, capacity}, opts.dtype(at::kBool));
  return cache;
}

at::Tensor LlamaDecoder::rotary(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) const {
  const std::int64_t half = x.size(-1) / 2;
  const at::Tensor rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
  return x * cos + rotated * sin;
}

at::Tensor LlamaDecoder::forward(const at::Tensor& embeds, const at::Tensor& positions, const at::Tensor& valid,
                                 KvCache& cache) const {
  const std::int64_t batch = embeds.size(0), len = embeds.size(1), start = cache.length;
  const std::int64_t heads = config_.num_attention_heads, kv_heads = config_.num_key_value_heads;
  const std::int64_t head_dim = config_.head_dim;
  TORCH_CHECK(start + len <= cache.capacity(), "KV cache overflow");
  const at::ScalarType dtype = embeds.scalar_type();

  // Rotary tables for these positions: float32 products, then cos/sin cast to the model dtype.
  const at::Tensor pos = positions.to(at::kFloat) / config_.rope_linear_factor;
  const at::Tensor freqs = pos.unsqueeze(-1) * inv_freq_;  // [B, L, head_dim/2]
  const at::Tensor emb = at::cat({freqs, freqs}, -1);
  const at::Tensor cos = emb.cos().to(dtype).unsqueeze(1), sin = emb.sin().to(dtype).unsqueeze(1);

  cache.key_valid.narrow(1, start, len).copy_(valid);
  const std::int64_t total = start + len;
  const at::Tensor mask = causal_mask(cache.key_valid.narrow(1, 0, total), start, len, dtype);
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));

  at::Tensor x = embeds;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = layers_[i];
    const at::Tensor h = l.input_layernorm(x);
    const at::Tensor q = rotary(l.q_proj(h).view({batch, len, heads, head_dim}).transpose(1, 2), cos, sin);
    const at::Tensor k = rotary(l.k_proj(h).view({batch, len, kv_heads, head_dim}).transpose(1, 2), cos, sin);
    const at::Tensor v = l.v_proj(h).view({batch, len, kv_heads, head_dim}).transpose(1, 2);
    cache.keys[i].narrow(2, start, len).copy_(k);
    cache.values[i].narrow(2, start, len).copy_(v);
    const at::Tensor attn = attention(q, cache.keys[i].narrow(2, 0, total), cache.values[i].narrow(2, 0, total),
                                      mask, scale);
    x = x + l.o_proj(attn.transpose(1, 2).reshape({batch, len, heads * head_dim}));
    const at::Tensor m = l.post_attention_layernorm(x);
    x = x + l.down_proj(at::silu(l.gate_proj(m)) * l.up_proj(m));
  }
  cache.length = total;
  return norm_(x);
}

at::Tensor LlamaDecoder::logits(const at::Tensor& hidden) const {
  return at::linear(hidden, lm_head_).to(at::kFloat);
}

}  // namespace mmh::backend::nn
