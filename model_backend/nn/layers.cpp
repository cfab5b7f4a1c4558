#include "model_backend/nn/layers.h"

#include <torch/version.h>

#include <cstring>

#include "common/error.h"
#include "model_backend/io/safetensors.h"

namespace mmh::backend::nn {

namespace {

at::ScalarType scalar_type(weights::DType dtype) {
  using weights::DType;
  switch (dtype) {
    case DType::kF64: return at::kDouble;
    case DType::kF32: return at::kFloat;
    case DType::kF16: return at::kHalf;
    case DType::kBF16: return at::kBFloat16;
    case DType::kI64: return at::kLong;
    case DType::kI32: return at::kInt;
    case DType::kI16: return at::kShort;
    case DType::kI8: return at::kChar;
    case DType::kU8: return at::kByte;
    case DType::kBool: return at::kBool;
  }
  return at::kFloat;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace

at::Tensor WeightLoader::load(const std::vector<std::string>& prefixes, const std::string& name,
                              const std::vector<std::int64_t>& shape, bool required) {
  std::vector<std::string> names;
  for (const auto& p : prefixes) names.push_back(p + name);
  const weights::TensorView* view = weights_.take(names);
  if (!view) {
    if (required) problems_.push_back("missing " + names.front());
    return {};
  }
  if (view->shape != shape) {
    problems_.push_back(view->name + " has shape " + shape_text(view->shape) + ", the config implies " +
                        shape_text(shape));
    return {};
  }
  const at::ScalarType stored = scalar_type(view->dtype);
  if (!at::isFloatingType(stored)) {
    problems_.push_back(view->name + " is stored as " + std::string(weights::dtype_name(view->dtype)) +
                        ", not a floating type");
    return {};
  }
  parameters_ += view->numel();
  // Zero-copy view of the mapping when it is aligned; the mapping is read-only, and weights are never written.
  at::Tensor t;
  if (reinterpret_cast<std::uintptr_t>(view->data) % weights::dtype_size(view->dtype) == 0) {
    t = at::from_blob(const_cast<std::byte*>(view->data), shape, at::TensorOptions().dtype(stored));
  } else {
    t = at::empty(shape, at::TensorOptions().dtype(stored));
    std::memcpy(t.data_ptr(), view->data, view->nbytes);
  }
  // fp16 weights are cast on the CPU first: LibTorch 1.13 has no fp16 CPU kernels, and the cast is exact.
  if (t.scalar_type() != placement_.dtype || placement_.device != at::kCPU)
    t = t.to(placement_.device, placement_.dtype, /*non_blocking=*/false, /*copy=*/true);
  return t;
}

at::Tensor WeightLoader::get(const std::vector<std::string>& prefixes, const std::string& name,
                             std::vector<std::int64_t> shape) {
  return load(prefixes, name, shape, true);
}

at::Tensor WeightLoader::get_optional(const std::vector<std::string>& prefixes, const std::string& name,
                                      std::vector<std::int64_t> shape) {
  return load(prefixes, name, shape, false);
}

void WeightLoader::check_complete(const std::string& where) const {
  if (problems_.empty()) return;
  std::string text = std::to_string(problems_.size()) + " weight problem(s): ";
  for (std::size_t i = 0; i < problems_.size() && i < 8; ++i) text += (i ? "; " : "") + problems_[i];
  if (problems_.size() > 8) text += "; ...";
  throw Error(where, text + " (truncated or mismatched checkpoint?)");
}

Linear Linear::load(WeightLoader& w, const std::vector<std::string>& prefixes, const std::string& name,
                    std::int64_t in, std::int64_t out, bool bias) {
  Linear l;
  l.weight = w.get(prefixes, name + ".weight", {out, in});
  if (bias) l.bias = w.get(prefixes, name + ".bias", {out});
  return l;
}

at::Tensor Linear::operator()(const at::Tensor& x) const {
  // One row (a decode step at batch 1): a matrix-vector product streams the
  // weights once, where a GEMM would first pack (copy) them: ~5x faster on CPU.
  if (x.numel() == x.size(-1) && x.is_cpu()) {
    at::Tensor y = at::mv(weight, x.reshape({-1}));
    if (bias.defined()) y = y + bias;
    std::vector<std::int64_t> shape = x.sizes().vec();
    shape.back() = weight.size(0);
    return y.view(shape);
  }
  return at::linear(x, weight, bias);
}

at::Tensor LayerNorm::operator()(const at::Tensor& x) const {
  return at::layer_norm(x, {weight.size(0)}, weight, bias, eps);
}

LayerNorm LayerNorm::load(WeightLoader& w, const std::vector<std::string>& prefixes, const std::string& name,
                          std::int64_t dim, double eps) {
  return {w.get(prefixes, name + ".weight", {dim}), w.get(prefixes, name + ".bias", {dim}), eps};
}

at::Tensor RMSNorm::operator()(const at::Tensor& x) const {
  const at::Tensor xf = x.to(at::kFloat);
  const at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps);
  return weight * normed.to(x.scalar_type());
}

RMSNorm RMSNorm::load(WeightLoader& w, const std::vector<std::string>& prefixes, const std::string& name,
                      std::int64_t dim, double eps) {
  return {w.get(prefixes, name + ".weight", {dim}), eps};
}

Activation parse_activation(const std::string& name) {
  if (name == "gelu") return Activation::kGelu;
  if (name == "quick_gelu") return Activation::kQuickGelu;
  if (name == "silu") return Activation::kSilu;
  throw Error("activation \"" + name + "\" is not supported (gelu, quick_gelu, silu)");
}

at::Tensor activate(const at::Tensor& x, Activation act) {
  switch (act) {
    case Activation::kGelu: return at::gelu(x);  // exact erf form, as transformers' "gelu"
    case Activation::kQuickGelu: return x * at::sigmoid(1.702 * x);
    case Activation::kSilu: return at::silu(x);
  }
  return x;
}

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask,
                     double scale) {
  const std::int64_t batch = q.size(0), heads = q.size(1), kv_heads = k.size(1), groups = heads / kv_heads;
  const std::int64_t query_len = q.size(2), head_dim = q.size(3);
  // A decode step under GQA: the query heads sharing a KV head become rows of
  // one product, so the cache is read in place instead of copied per group.
  const bool grouped = groups > 1 && query_len == 1;
  const at::Tensor qq = grouped ? q.reshape({batch, kv_heads, groups, head_dim}) : q;
  const at::Tensor kk = grouped || groups == 1 ? k : k.repeat_interleave(groups, 1);
  const at::Tensor vv = grouped || groups == 1 ? v : v.repeat_interleave(groups, 1);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
  at::Tensor out = at::scaled_dot_product_attention(
      qq, kk, vv, mask.defined() ? c10::optional<at::Tensor>(mask) : c10::nullopt, 0.0, false, scale);
#else
  at::Tensor scores = at::matmul(qq, kk.transpose(-2, -1)) * scale;
  if (mask.defined()) scores = scores + mask;
  const at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
  at::Tensor out = at::matmul(probs, vv);
#endif
  return grouped ? out.reshape({batch, heads, 1, head_dim}) : out;
}

at::Tensor causal_mask(const at::Tensor& key_valid, std::int64_t start, std::int64_t query_len,
                       at::ScalarType dtype) {
  const std::int64_t key_len = key_valid.size(1);
  const auto opts = at::TensorOptions().device(key_valid.device()).dtype(at::kLong);
  const at::Tensor query_pos = at::arange(start, start + query_len, opts).view({query_len, 1});
  const at::Tensor key_pos = at::arange(key_len, opts).view({1, key_len});
  const at::Tensor allowed = (key_pos <= query_pos).unsqueeze(0) & key_valid.unsqueeze(1);  // [B, Lq, Lk]
  at::Tensor mask = at::zeros(allowed.sizes(), key_valid.options().dtype(dtype));
  // Finite, so a fully masked row (a padding query) softmaxes to uniform instead of NaN; representable in bf16.
  mask.masked_fill_(allowed.logical_not(), at::Scalar(-1e30));
  return mask.unsqueeze(1);
}

}  // namespace mmh::backend::nn
