#include "model_backend/engine/greedy.h"

#include <algorithm>
#include <chrono>

namespace mmh::backend::engine {

namespace {

// Below this many shared positions, a separate prefix pass costs more than it saves.
constexpr std::int64_t kMinSharedPrefix = 16;

// The longest run of leading positions all prompts share (the same
// demonstrations, say), leaving each prompt at least its last position.
// Equal tokens and equal images give bitwise-equal embeddings.
std::int64_t shared_prefix_length(const std::vector<at::Tensor>& prompts) {
  if (prompts.size() < 2) return 0;
  std::int64_t p = prompts.front().size(0);
  for (const auto& t : prompts) p = std::min(p, t.size(0) - 1);
  const at::Tensor& ref = prompts.front();
  for (std::size_t b = 1; b < prompts.size() && p > 0; ++b) {
    const at::Tensor differs = (prompts[b].narrow(0, 0, p) != ref.narrow(0, 0, p)).any(-1).nonzero();
    if (differs.numel() > 0) p = differs[0][0].item<std::int64_t>();
  }
  return p;
}

}  // namespace

std::vector<DecodeResult> greedy_decode(const nn::LlamaDecoder& decoder, const std::vector<at::Tensor>& prompts,
                                        const DecodeSettings& settings,
                                        const std::function<std::string(const std::vector<std::int32_t>&)>& decode_text) {
  const auto batch = static_cast<std::int64_t>(prompts.size());
  std::vector<DecodeResult> results(prompts.size());
  if (prompts.empty()) return results;
  const at::Tensor& first = prompts.front();
  const std::int64_t hidden = first.size(1);
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const int steps = std::max(0, settings.max_new_tokens);

  // A prefix every prompt shares is run once, at batch 1, and its KV entries copied to every row.
  std::int64_t prefix = settings.share_prefix ? shared_prefix_length(prompts) : 0;
  if (prefix < kMinSharedPrefix) prefix = 0;

  // The rest is left-padded: every prompt ends at the same column, which
  // therefore holds each next-token logit. Cache layout per row:
  // [shared prefix][padding][own suffix][generated].
  std::int64_t suffix_len = 0;
  for (const auto& p : prompts) suffix_len = std::max(suffix_len, p.size(0) - prefix);
  at::Tensor embeds = at::zeros({batch, suffix_len, hidden}, first.options());
  at::Tensor valid = at::zeros({batch, suffix_len}, first.options().dtype(at::kBool));
  std::vector<std::int64_t> lengths(prompts.size());
  for (std::int64_t b = 0; b < batch; ++b) {
    const std::int64_t len = prompts[b].size(0) - prefix, pad = suffix_len - len;
    lengths[b] = len;
    embeds[b].narrow(0, pad, len).copy_(prompts[b].narrow(0, prefix, len));
    valid[b].narrow(0, pad, len).fill_(true);
  }
  // Rotary positions count real tokens only (transformers: cumsum(attention_mask) - 1).
  const at::Tensor positions = (valid.to(at::kLong).cumsum(1) - 1).clamp_min(0) + prefix;

  nn::KvCache cache = decoder.new_cache(batch, prefix + suffix_len + std::max(steps - 1, 0));
  at::Tensor prefix_logits;
  if (prefix > 0) {
    nn::KvCache shared = decoder.new_cache(1, prefix);
    const auto opts = valid.options();
    const at::Tensor h = decoder.forward(first.narrow(0, 0, prefix).unsqueeze(0),
                                         at::arange(prefix, opts.dtype(at::kLong)).unsqueeze(0),
                                         at::ones({1, prefix}, opts), shared);
    for (std::size_t i = 0; i < cache.keys.size(); ++i) {
      cache.keys[i].narrow(2, 0, prefix).copy_(shared.keys[i]);
      cache.values[i].narrow(2, 0, prefix).copy_(shared.values[i]);
    }
    cache.key_valid.narrow(1, 0, prefix).fill_(true);
    cache.length = prefix;
    if (settings.prompt_logits) prefix_logits = decoder.logits(h[0]).cpu();
  }
  const at::Tensor prefill = decoder.forward(embeds, positions, valid, cache);
  at::Tensor next_logits;
  if (settings.prompt_logits) {
    const at::Tensor all = decoder.logits(prefill);  // [B, L, V]
    for (std::int64_t b = 0; b < batch; ++b) {
      at::Tensor own = all[b].narrow(0, suffix_len - lengths[b], lengths[b]).cpu();
      results[b].prompt_logits = prefix > 0 ? at::cat({prefix_logits, own}, 0) : own;
    }
    next_logits = all.select(1, suffix_len - 1);
  } else {
    next_logits = decoder.logits(prefill.select(1, suffix_len - 1));  // [B, V]
  }
  for (auto& r : results) r.shared_prefix = prefix;

  // CUDA runs asynchronously: wait for the prefill, so the clock measures it.
  if (next_logits.is_cuda()) (void)next_logits.sum().item<float>();
  const auto prefilled = Clock::now();
  std::vector<bool> done(prompts.size(), false);
  std::vector<std::vector<at::Tensor>> kept_steps(prompts.size());
  at::Tensor next_pos = positions.select(1, suffix_len - 1) + 1;  // [B]
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
