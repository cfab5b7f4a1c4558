#pragma once
// Batched greedy decoding over a LlamaDecoder with a static KV cache.
// Prompts arrive as embeddings (image features already in place), are left
// padded to a common length and prefilled in one forward pass; each step then
// feeds one token per row. Masks and rotary positions follow the real tokens
// only, so a prompt's continuation does not depend on what it is batched with.
#include <functional>
#include <string>
#include <vector>

#include "model_backend/nn/llama_decoder.h"

namespace mmh::backend::engine {

struct DecodeSettings {
  int max_new_tokens = 32;
  std::vector<std::int32_t> eos_ids;      // empty: never stop on a token
  std::vector<std::string> stop_strings;  // checked on the decoded continuation after each step
  bool prompt_logits = false;
  bool step_logits = false;
  bool share_prefix = true;  // run a prefix all prompts of a batch share once
};

struct DecodeResult {
  std::vector<std::int32_t> ids;
  std::string stop_reason;  // "eos", "stop_string", "length"
  at::Tensor prompt_logits;  // [L, vocab] float32, when asked
  at::Tensor step_logits;    // [generated, vocab] float32, when asked
  double prefill_seconds = 0, decode_seconds = 0;  // of the whole batch
  std::int64_t shared_prefix = 0;                  // positions computed once for the batch
};

// `prompts`: one [L_i, hidden] embedding tensor per sequence (L_i >= 1).
// `decode_text` turns generated ids into text for the stop-string check.
std::vector<DecodeResult> greedy_decode(const nn::LlamaDecoder& decoder, const std::vector<at::Tensor>& prompts,
                                        const DecodeSettings& settings,
                                        const std::function<std::string(const std::vector<std::int32_t>&)>& decode_text);

}  // namespace mmh::backend::engine
