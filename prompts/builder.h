#pragma once
// Builds the interleaved prompt of one query: demonstrations (image, then its
// caption or question and answer), then the query with its answer left open.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "prompts/demos.h"
#include "prompts/prompt.h"
#include "prompts/templates.h"
#include "tasks/task_data.h"

namespace mmh::prompts {

struct PromptOptions {
  const TemplateSet* templates = nullptr;  // fewshot or instruct
  int shots = 0;
  DemoMode demos = DemoMode::kPerQuery;
  std::uint64_t seed = 0;  // the trial seed
  // Zero-shot only: the Flamingo trick of two demonstrations shown without their images.
  bool text_only_shots = false;
};

struct BuiltPrompt {
  Prompt prompt;
  std::vector<std::string> demo_keys;  // the demonstrations used, in prompt order
  int shots = 0;                       // how many were used (fewer than asked only after truncation)
};

BuiltPrompt build_prompt(const tasks::TaskData& data, const tasks::TaskSample& query, const PromptOptions& options);

// The prompt for explicitly given demonstrations (pool positions), e.g. after truncation.
BuiltPrompt render_prompt(const tasks::TaskData& data, const tasks::TaskSample& query,
                          std::span<const std::size_t> demos, const PromptOptions& options);

// Context budget: how many tokens a prompt takes for the chosen model,
// estimated before any model work (the family supplies the counts).
struct TokenCounter {
  std::function<std::size_t(std::string_view)> text;  // tokens of a text segment
  std::size_t image = 0;                              // tokens an image expands to
  std::size_t end_of_chunk = 1;
};
std::size_t count_tokens(const Prompt& prompt, const TokenCounter& counter);

// build_prompt, checked against `budget` tokens (the context length less the
// generation length). A prompt that does not fit is an mmh::Error naming the
// sample, unless truncate_demos: then demonstrations are dropped, the first
// (farthest from the query) first, and BuiltPrompt::shots says how many stayed.
BuiltPrompt build_prompt_within(const tasks::TaskData& data, const tasks::TaskSample& query,
                                const PromptOptions& options, const TokenCounter& counter, std::size_t budget,
                                bool truncate_demos);

}  // namespace mmh::prompts
