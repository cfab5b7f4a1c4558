#include "model_backend/engine/greedy.h"

#include <algorithm>
#include <chrono>

namespace mmh::backend::engine {

std::vector<DecodeResult> greedy_decode(const nn::LlamaDecoder& decoder, const std::vector<at::Tensor>& prompts,
                                        const DecodeSettings& settings,
                                        const std::function<std::string(const std::vector<std::int32_t>&)>& decode_text) {
  const auto batch = static_cast<std::int64_t>(prompts.size());
  std::vector<DecodeResult> results(prompts.size());
  if (prompts.empty()) return results;
  std::int64_t max_len = 0;
  for (const auto& p : prompts) max_len = std::max(max_len, p.size(0));
  const at::Tensor& first = prompts.front();
  const std::int64_t hidden = first.size(1);

  // Left padding: every prompt ends at the same column, so the last column holds each next-token logit.
  at::Tensor embeds = at::zeros({batch, max_len, hidden}, first.options());
  at::Tensor valid = at::zeros({batch, max_len}, first.options().dtype(at::kBool));
  std::vector<std::int64_t> lengths(prompts.size());
  for (std::int64_t b = 0; b < batch; ++b) {
    const std::int64_t len = prompts[b].size(0), pad = max_len - len;
    lengths[b] = len;
    embeds[b].narrow(0, pad, len).copy_(prompts[b]);
    valid[b].narrow(0, pad, len).fill_(true);
  }
  // Rotary positions count real tokens only (transformers: cumsum(attention_mask) - 1).
  const at::Tensor positions = (valid.to(at::kLong).cumsum(1) - 1).clamp_min(0);

  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const int steps = std::max(0, settings.max_new_tokens);
  nn::KvCache cache = decoder.new_cache(batch, max_len + std::max(steps - 1, 0));
  const at::Tensor prefill = decoder.forward(embeds, positions, valid, cache);
  at::Tensor next_logits;
  if (settings.prompt_logits) {
    const at::Tensor all = decoder.logits(prefill);  // [B, L, V]
    for (std::int64_t b = 0; b < batch; ++b)
      results[b].prompt_logits = all[b].narrow(0, max_len - lengths[b], lengths[b]).cpu();
    next_logits = all.select(1, max_len - 1);
  } else {
    next_logits = decoder.logits(prefill.select(1, max_len - 1));  // [B, V]
  }

  // CUDA runs asynchronously: wait for the prefill, so the clock measures it.
  if (next_logits.is_cuda()) (void)next_logits.sum().item<float>();
  const auto prefilled = Clock::now();
  std::vector<bool> done(prompts.size(), false);
  std::vector<std::vector<at::Tensor>> kept_steps(prompts.size());
  at::Tensor next_pos = positions.select(1, max_len - 1) + 1;  // [B]
  const at::Tensor one_valid = at::ones({batch, 1}, valid.options());
  for (int step = 0; step < steps; ++step) {
    const at::Tensor chosen = next_logits.argmax(-1);  // first maximum on ties, as torch.argmax
    const at::Tensor chosen_cpu = chosen.to(at::kCPU, at::kLong);
    const auto* ids = chosen_cpu.data_ptr<std::int64_t>();
    bool all_done = true;
    for (std::int64_t b = 0; b < batch; ++b) {
      if (done[b]) continue;
      auto& r = results[b];
      r.ids.push_back(static_cast<std::int32_t>(ids[b]));
      if (settings.step_logits) kept_steps[b].push_back(next_logits[b].cpu());
      if (std::find(settings.eos_ids.begin(), settings.eos_ids.end(), r.ids.back()) != settings.eos_ids.end()) {
        r.stop_reason = "eos";
      } else if (!settings.stop_strings.empty()) {
        const std::string text = decode_text(r.ids);
        for (const auto& stop : settings.stop_strings)
          if (!stop.empty() && text.find(stop) != std::string::npos) r.stop_reason = "stop_string";
      }
      if (!r.stop_reason.empty()) done[b] = true;
      else all_done = false;
    }
    if (all_done || step + 1 == steps) break;
    // Finished rows keep decoding (their outputs are discarded): the batch stays rectangular.
    const at::Tensor step_embeds = decoder.embed(chosen.view({batch, 1}));
    const at::Tensor h = decoder.forward(step_embeds, next_pos.view({batch, 1}), one_valid, cache);
    next_logits = decoder.logits(h.select(1, 0));
    next_pos = next_pos + 1;
  }
  const auto finished = Clock::now();
  for (std::int64_t b = 0; b < batch; ++b) {
    results[b].prefill_seconds = std::chrono::duration<double>(prefilled - started).count();
    results[b].decode_seconds = std::chrono::duration<double>(finished - prefilled).count();
    if (results[b].stop_reason.empty()) results[b].stop_reason = "length";
    if (settings.step_logits && !kept_steps[b].empty()) results[b].step_logits = at::stack(kept_steps[b]);
  }
  return results;
}

}  // namespace mmh::backend::engine
