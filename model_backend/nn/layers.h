#pragma once
// Shared layers, gpt-fast style: plain structs of weight tensors and a
// forward function each, no module framework. Families (families/*.cpp)
// assemble them. Internal to model_backend: this header includes ATen, so it
// must never be included from a public (torch-free) header.
#include <ATen/ATen.h>

#include <string>
#include <vector>

namespace mmh::weights {
class WeightSet;
}

namespace mmh::backend::nn {

// Where and how the weights live: every loaded tensor is converted to this.
struct Placement {
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
};

// Reads tensors from a checkpoint under a name prefix, trying each alias
// prefix in turn (transformers renamed its layouts over releases). Missing
// tensors are collected, so the load fails once with the full list.
class WeightLoader {
 public:
  WeightLoader(weights::WeightSet& weights, Placement placement) : weights_(weights), placement_(placement) {}

  // `prefixes`: alias prefixes of one module, e.g. {"language_model.model.", "model.language_model."}.
  at::Tensor get(const std::vector<std::string>& prefixes, const std::string& name, std::vector<std::int64_t> shape);
  at::Tensor get_optional(const std::vector<std::string>& prefixes, const std::string& name,
                          std::vector<std::int64_t> shape);
  const Placement& placement() const { return placement_; }
  // Throws mmh::Error listing missing tensors and shape mismatches, if any.
  void check_complete(const std::string& where) const;
  std::int64_t parameters() const { return parameters_; }

 private:
  at::Tensor load(const std::vector<std::string>& prefixes, const std::string& name,
                  const std::vector<std::int64_t>& shape, bool required);
  weights::WeightSet& weights_;
  Placement placement_;
  std::vector<std::string> problems_;
  std::int64_t parameters_ = 0;
};

struct Linear {
  at::Tensor weight, bias;  // bias may be undefined
  at::Tensor operator()(const at::Tensor& x) const;
  static Linear load(WeightLoader& w, const std::vector<std::string>& prefixes, const std::string& name,
                     std::int64_t in, std::int64_t out, bool bias);
};

struct LayerNorm {
  at::Tensor weight, bias;
  double eps = 1e-5;
  at::Tensor operator()(const at::Tensor& x) const;
  static LayerNorm load(WeightLoader& w, const std::vector<std::string>& prefixes, const std::string& name,
                        std::int64_t dim, double eps);
};

// Llama's RMSNorm: normalise in float32, cast back, then scale (weight * x.to(dtype)).
struct RMSNorm {
  at::Tensor weight;
  double eps = 1e-6;
  at::Tensor operator()(const at::Tensor& x) const;
  static RMSNorm load(WeightLoader& w, const std::vector<std::string>& prefixes, const std::string& name,
                      std::int64_t dim, double eps);
};

enum class Activation { kGelu, kQuickGelu, kSilu };
Activation parse_activation(const std::string& name);
at::Tensor activate(const at::Tensor& x, Activation act);

// softmax(q k^T * scale + mask) v, q [B, H, Lq, D], k/v [B, Hkv, Lk, D] (GQA:
// Hkv divides H). `mask` is additive [B, 1, Lq, Lk] or undefined. Uses fused
// scaled_dot_product_attention where LibTorch has it (2.x); the eager path
// (1.13) softmaxes in float32 like transformers' eager attention.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask,
                     double scale);

// An additive mask [B, 1, Lq, Lk]: 0 where query i (at absolute position
// start + i) may see key j, the dtype's lowest value elsewhere. key_valid [B, Lk] (bool).
at::Tensor causal_mask(const at::Tensor& key_valid, std::int64_t start, std::int64_t query_len,
                       at::ScalarType dtype);

}  // namespace mmh::backend::nn
