#include "prompts/demos.h"

#include <algorithm>
#include <unordered_set>

#include "common/error.h"
#include "tasks/metrics/bootstrap.h"

namespace mmh::prompts {

DemoMode parse_demo_mode(std::string_view text) {
  if (text == "per-query") return DemoMode::kPerQuery;
  if (text == "fixed") return DemoMode::kFixed;
  throw Error("--demos", "expected per-query or fixed, got '" + std::string(text) + "'");
}

std::string demo_mode_name(DemoMode mode) { return mode == DemoMode::kFixed ? "fixed" : "per-query"; }

std::uint64_t trial_seed(std::uint64_t seed, int trial) {
  return trial == 0 ? seed : metrics::SplitMix64(seed ^ (0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(trial))).next();
}

std::vector<std::size_t> pick_demos(const tasks::TaskData& data, const tasks::TaskSample& query, int shots,
                                    std::uint64_t seed, DemoMode mode) {
  if (shots <= 0) return {};
  const auto& pool = data.demos.samples;
  std::unordered_set<std::string_view> query_images;
  for (const auto& image : query.images) query_images.insert(image.key);
  auto excluded = [&](std::size_t i) {
    if (pool[i].key == query.key) return true;
    return std::any_of(pool[i].images.begin(), pool[i].images.end(),
                       [&](const tasks::ImageFile& image) { return query_images.count(image.key) > 0; });
  };
  // Only count the exclusions when the pool is small enough for them to matter.
  const auto wanted = static_cast<std::size_t>(shots);
  if (pool.size() < 4 * wanted) {
    std::size_t usable = 0;
    for (std::size_t i = 0; i < pool.size(); ++i) usable += !excluded(i);
    if (usable < wanted)
      throw Error(data.demos.files.empty() ? data.task->id : data.demos.files.front().string(),
                  "has " + std::to_string(usable) + " demonstrations for sample " + query.key + ", fewer than the " +
                      std::to_string(shots) + " shots asked for");
  }
  const std::string stream = data.task->id + "\x1f" + std::to_string(seed) + "\x1f" +
                             (mode == DemoMode::kPerQuery ? query.key : std::string("\x1f" "fixed"));
  metrics::SplitMix64 rng(tasks::stable_hash(stream));
  std::vector<std::size_t> picked;
  std::unordered_set<std::size_t> taken;
  while (picked.size() < wanted) {
    const std::size_t i = rng.below(pool.size());
    if (!taken.insert(i).second || excluded(i)) continue;
    picked.push_back(i);
  }
  return picked;
}

}  // namespace mmh::prompts
