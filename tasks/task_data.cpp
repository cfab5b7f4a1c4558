#include "tasks/task_data.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "common/error.h"
#include "tasks/loaders.h"

namespace mmh::tasks {

DataRoot::DataRoot(fs::path root, std::map<std::string, fs::path> overrides)
    : root_(std::move(root)), overrides_(std::move(overrides)) {}

fs::path DataRoot::resolve(const std::string& relative) const {
  const auto slash = relative.find('/');
  const std::string folder = relative.substr(0, slash);
  const auto it = overrides_.find(folder);
  if (it == overrides_.end()) return root_ / relative;
  return slash == std::string::npos ? it->second : it->second / relative.substr(slash + 1);
}

std::pair<std::string, fs::path> parse_task_dir(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw Error("--task-dir", "expected TASK=PATH, got '" + spec + "'");
  const std::string task = spec.substr(0, eq);
  if (!find_task(task)) throw Error("--task-dir", "unknown task '" + task + "' (known: " + known_task_ids() + ")");
  return {task, fs::path(spec.substr(eq + 1))};
}

namespace loaders {

ImageFile image_at(const DataRoot& root, std::string key) {
  fs::path path = root.resolve(key);
  return {std::move(key), std::move(path)};
}

}  // namespace loaders

namespace {

SplitData load_split(const std::string& task, const std::string& split, const DataRoot& root) {
  using namespace loaders;
  const bool captions = task == "coco" || task == "nocaps" || task == "textcaps";
  if (captions && split.starts_with("coco:")) return coco_karpathy(root, split.substr(5));
  if (task == "coco") return coco_karpathy(root, split);
  if (task == "nocaps") {
    if (split != "val") throw Error("--demo-split", "NoCaps has captions for val only; use coco:train or val");
    return nocaps(root);
  }
  if (task == "textcaps") return textcaps(root, split);
  if (task == "vqav2" || task == "okvqa") return vqa_format(root, task, split);
  if (task == "textvqa") return textvqa(root, split);
  if (task == "vizwiz") return vizwiz(root, split);
  if (task == "gqa") return gqa(root, split);
  if (task == "mmmu") return mmmu(root, split);
  throw Error("--task", "no loader for task '" + task + "'");
}

}  // namespace

TaskData load_task(const TaskInfo& task, const DataRoot& root, Splits splits, const std::string& demo_split) {
  TaskData data;
  data.task = &task;
  data.eval = load_split(task.id, task.eval_split, root);
  if (splits == Splits::kBoth) data.demos = load_split(task.id, demo_split.empty() ? task.demo_split : demo_split, root);
  return data;
}

ImageCount count_images(const SplitData& split) {
  ImageCount count;
  std::unordered_set<std::string> seen;
  for (const auto& sample : split.samples) {
    for (const auto& image : sample.images) {
      if (!seen.insert(image.key).second) continue;
      std::error_code ec;
      if (fs::is_regular_file(image.path, ec)) {
        ++count.found;
      } else {
        if (count.missing++ == 0) {
          count.first_missing = image.path.string();
          count.first_missing_sample = sample.key;
        }
      }
    }
  }
  return count;
}

std::uint64_t stable_hash(std::string_view text, std::uint64_t basis) {
  std::uint64_t h = basis;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::vector<std::size_t> limited_subset(const TaskData& data, std::size_t limit, std::uint64_t seed) {
  const auto& samples = data.eval.samples;
  std::vector<std::size_t> order(samples.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (limit >= samples.size()) return order;
  const std::string prefix = "limit\x1f" + std::to_string(seed) + "\x1f" + data.task->id + "\x1f";
  const std::uint64_t basis = stable_hash(prefix);
  std::vector<std::uint64_t> rank(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) rank[i] = stable_hash(samples[i].key, basis);
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(limit), order.end(),
                   [&](std::size_t a, std::size_t b) { return rank[a] != rank[b] ? rank[a] < rank[b] : a < b; });
  order.resize(limit);
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace mmh::tasks
