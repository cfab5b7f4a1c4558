#include "harness/run/merge.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/error.h"
#include "harness/run/scoring.h"
#include "harness/store/results_store.h"
#include "tasks/catalog.h"

namespace mmh::run {
namespace {

namespace fs = std::filesystem;

struct ShardRun {
  fs::path file;
  store::ResultsStore store;
  store::RunDetail run;
};

// The newest completed run of a shard file.
ShardRun open_shard(const fs::path& file) {
  auto store = store::ResultsStore::open(file, store::ResultsStore::OpenMode::kExisting);
  std::optional<store::RunDetail> chosen;
  for (const auto& summary : store.list_runs())
    if (summary.status == "completed") chosen = store.find_run(summary.id);
  if (!chosen)
    throw Error(file.string(), "has no completed run (a shard still running or interrupted: run its command again "
                               "to finish it, then merge)");
  return {file, std::move(store), std::move(*chosen)};
}

std::string spec_name(const store::EvaluationStart& e) {
  return e.task + "/" + e.split + "/" + std::to_string(e.shots) + "-shot/trial " + std::to_string(e.trial) + "/" +
         e.template_hash;
}

void check_shards(const std::vector<ShardRun>& shards) {
  const auto& first = shards.front().run.summary;
  std::set<int> indexes;
  for (const auto& s : shards) {
    const auto& r = s.run.summary;
    const std::string where = s.file.string() + ": run " + std::to_string(r.id);
    if (r.fingerprint.empty()) throw Error(where, "was not written by a sharded `mmharness run` (no fingerprint)");
    if (r.fingerprint != first.fingerprint)
      throw Error(where, "has other settings than " + shards.front().file.string() +
                             " (fingerprints differ): shards of different runs cannot be merged");
    if (r.shard_count != static_cast<int>(shards.size()))
      throw Error(where, "is shard " + std::to_string(r.shard_index) + " of " + std::to_string(r.shard_count) +
                             ", but " + std::to_string(shards.size()) + " files were given");
    if (!indexes.insert(r.shard_index).second)
      throw Error(where, "is shard " + std::to_string(r.shard_index) + " again (given twice?)");
    std::set<std::string> specs, first_specs;
    for (const auto& e : s.run.evaluations) specs.insert(spec_name(e.spec));
    for (const auto& e : shards.front().run.evaluations) first_specs.insert(spec_name(e.spec));
    if (specs != first_specs) throw Error(where, "has other evaluations than " + shards.front().file.string());
  }
}

}  // namespace

MergeOutcome merge_shards(const fs::path& into, const std::vector<fs::path>& files,
                          const std::vector<std::string>& argv) {
  if (files.empty()) throw Error("merge", "no shard files given");
  std::vector<ShardRun> shards;
  for (const auto& file : files) {
    for (const auto& s : shards)
      if (fs::equivalent(s.file, file)) throw Error(file.string(), "is given twice");
    if (fs::exists(into) && fs::equivalent(into, file)) throw Error(file.string(), "is also the --into file");
    shards.push_back(open_shard(file));
  }
  check_shards(shards);
  std::sort(shards.begin(), shards.end(),
            [](const ShardRun& a, const ShardRun& b) { return a.run.summary.shard_index < b.run.summary.shard_index; });

  const store::RunDetail& base = shards.front().run;
  auto out = store::ResultsStore::open(into, store::ResultsStore::OpenMode::kCreate);
  store::RunStart run;
  run.name = base.summary.name;
  run.argv = base.argv;
  run.harness_version = base.summary.harness_version;
  run.git_revision = base.summary.git_revision;
  run.host = base.summary.host;
  run.device = base.summary.device;
  run.seeds = base.seeds;
  run.settings = base.settings;
  nlohmann::json merged = nlohmann::json::array();
  for (const auto& s : shards)
    merged.push_back({{"file", fs::absolute(s.file).string()}, {"run", s.run.summary.id},
                      {"shard", s.run.summary.shard_index}, {"host", s.run.summary.host},
                      {"device", s.run.summary.device}, {"started_at", s.run.summary.started_at},
                      {"ended_at", s.run.summary.ended_at.value_or("")}});
  run.settings["shard"] = {{"merged_from", merged}, {"count", shards.size()}, {"merge_argv", argv}};
  run.fingerprint = base.summary.fingerprint;
  const auto model_id = out.add_model(base.summary.model);
  MergeOutcome outcome;
  outcome.run_id = out.begin_run(model_id, run);
  outcome.shards = static_cast<int>(shards.size());
  try {
    for (auto& s : shards) out.add_responses(s.store.all_responses());
    const int replicates = base.settings.value("/bootstrap/replicates"_json_pointer, 1000);
    const std::uint64_t seed = base.seeds.value("bootstrap", std::uint64_t{0});
    for (const auto& first : base.evaluations) {
      const tasks::TaskInfo* task = tasks::find_task(first.spec.task);
      if (!task) throw Error(shards.front().file.string(), "evaluation of unknown task '" + first.spec.task + "'");
      std::vector<store::SampleResult> samples;
      double wall = 0;
      for (auto& s : shards) {
        const auto& e = *std::find_if(s.run.evaluations.begin(), s.run.evaluations.end(),
                                      [&](const auto& x) { return spec_name(x.spec) == spec_name(first.spec); });
        wall = std::max(wall, e.wall_seconds.value_or(0));  // shards run side by side
        for (auto& sample : s.store.samples(e.id)) samples.push_back(std::move(sample));
      }
      std::sort(samples.begin(), samples.end(), [](const auto& a, const auto& b) { return a.position < b.position; });
      std::set<std::string> keys;
      for (std::size_t i = 0; i < samples.size(); ++i) {
        if (i > 0 && samples[i].position == samples[i - 1].position)
          throw Error(spec_name(first.spec), "two shards hold position " + std::to_string(samples[i].position));
        if (!keys.insert(samples[i].key).second)
          throw Error(spec_name(first.spec), "two shards hold sample " + samples[i].key);
      }
      store::EvaluationStart spec = first.spec;
      spec.sample_count = static_cast<std::int64_t>(samples.size());
      const auto id = out.begin_evaluation(outcome.run_id, spec);
      out.add_samples(id, samples);
      score_evaluation(out, id, *task, {replicates, seed});
      out.end_evaluation(id, store::Status::kCompleted, wall);
      ++outcome.evaluations;
      outcome.samples += samples.size();
    }
    out.end_run(outcome.run_id, store::Status::kCompleted);
  } catch (...) {
    out.end_run(outcome.run_id, store::Status::kFailed);
    throw;
  }
  return outcome;
}

}  // namespace mmh::run
