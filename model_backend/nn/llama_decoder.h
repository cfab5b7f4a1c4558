#pragma once
// The Llama-family decoder (transformers' LlamaModel + lm_head): RMSNorm,
// rotary positions, grouped-query attention, SwiGLU MLP, tied or untied head.
// Attention reads and writes a static KV cache (gpt-fast): one preallocated
// buffer per layer, filled at absolute positions, so decoding never copies it.
#include "model_backend/io/model_config.h"
#include "model_backend/nn/layers.h"

namespace mmh::backend::nn {

struct KvCache {
  std::vector<at::Tensor> keys, values;  // per layer [B, kv_heads, capacity, head_dim]
  at::Tensor key_valid;                  // [B, capacity] bool: written and not padding
  std::int64_t length = 0;               // positions written so far
  std::int64_t capacity() const { return key_valid.size(1); }
};

class LlamaDecoder {
 public:
  LlamaDecoder(WeightLoader& w, const std::vector<std::string>& model_prefixes,
               const std::vector<std::string>& head_prefixes, const weights::TextConfig& config);

  at::Tensor embed(const at::Tensor& ids) const;  // [B, L] -> [B, L, hidden]
  KvCache new_cache(std::int64_t batch, std::int64_t capacity) const;

  // Runs embeds [B, L, hidden] at positions [B, L] (rotary) into cache slots
  // cache.length .. cache.length + L - 1; `valid` [B, L] marks real tokens
  // (false: left padding). Returns the final-normed hidden states [B, L, hidden].
  at::Tensor forward(const at::Tensor& embeds, const at::Tensor& positions, const at::Tensor& valid,
                     KvCache& cache) const;
  at::Tensor logits(const at::Tensor& hidden) const;  // float32 [.., vocab]

  const weights::TextConfig& config() const { return config_; }

 private:
  struct Layer {
    RMSNorm input_layernorm, post_attention_layernorm;
    Linear q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj;
  };
  at::Tensor rotary(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) const;

  weights::TextConfig config_;
  at::Tensor embed_tokens_, lm_head_, inv_freq_;
  RMSNorm norm_;
  std::vector<Layer> layers_;
};

}  // namespace mmh::backend::nn
