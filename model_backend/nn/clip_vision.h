#pragma once
// CLIP's vision transformer (transformers' CLIPVisionModel): patch conv, CLS
// token, learned positions, pre-layernorm, pre-norm encoder layers. Only the
// layers up to the one a family reads are kept and run.
#include "model_backend/io/model_config.h"
#include "model_backend/nn/layers.h"

namespace mmh::backend::nn {

struct ClipEncoderLayer {
  LayerNorm layer_norm1, layer_norm2;
  Linear q_proj, k_proj, v_proj, out_proj, fc1, fc2;
};

class ClipVision {
 public:
  // Loads the embeddings, pre-layernorm and the first `layers_to_run` encoder layers.
  ClipVision(WeightLoader& w, const std::vector<std::string>& prefixes, const weights::VisionConfig& config,
             int layers_to_run);

  // pixel_values [B, 3, H, W] -> hidden_states[layers_to_run] [B, 1 + patches, hidden]
  // (hidden_states[0] being the pre-layernormed embeddings, as transformers counts).
  at::Tensor forward(const at::Tensor& pixel_values) const;

 private:
  weights::VisionConfig config_;
  Activation act_;
  at::Tensor class_embedding_, patch_embedding_, position_embedding_;
  LayerNorm pre_layrnorm_;  // sic: transformers' name
  std::vector<ClipEncoderLayer> layers_;
};

}  // namespace mmh::backend::nn
