#pragma once
// Which demonstrations a query gets. The draw is seeded by (task, trial seed,
// sample key) only, never by rank, batch or time: the same sample gets the
// same demonstrations whatever the batch size, shard or number of GPUs.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/task_data.h"

namespace mmh::prompts {

enum class DemoMode {
  kPerQuery,  // each query its own draw (published few-shot protocols)
  kFixed,     // one draw per trial shared by every query (lets the engine reuse the shared prefix)
};
DemoMode parse_demo_mode(std::string_view text);  // "per-query" | "fixed"; else mmh::Error
std::string demo_mode_name(DemoMode mode);

// Positions in data.demos.samples of `shots` distinct demonstrations for
// `query`, in prompt order. A pool sample with the query's key or one of its
// images is never drawn (in fixed mode the next draw of the same stream takes
// its place). Too small a pool is an mmh::Error.
std::vector<std::size_t> pick_demos(const tasks::TaskData& data, const tasks::TaskSample& query, int shots,
                                    std::uint64_t trial_seed, DemoMode mode);

// The seed of trial t of a run with base seed `seed` (trial 0 is `seed` itself).
std::uint64_t trial_seed(std::uint64_t seed, int trial);

}  // namespace mmh::prompts
