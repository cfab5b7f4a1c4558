#include "harness/compare/compare.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "common/error.h"
#include "tasks/catalog.h"

namespace mmh::compare {
namespace {

using store::EvaluationSummary;
using store::RunDetail;

store::RunDetail load_run(store::ResultsStore& db, std::int64_t run_id) {
  auto run = db.find_run(run_id);
  if (!run) throw Error(db.path().string(), "has no run " + std::to_string(run_id) + " (see 'mmharness runs')");
  return std::move(*run);
}

EvaluationKey key_of(const EvaluationSummary& e) { return {e.spec.task, e.spec.split, e.spec.shots, e.spec.trial}; }

struct Pairing {
  std::vector<std::pair<const EvaluationSummary*, const EvaluationSummary*>> pairs;  // baseline, candidate
  std::vector<EvaluationKey> unmatched;
};

// Pairs by (task, split, shots, trial). What is left is paired once more by
// (task, shots, trial): a task scored on another split is a comparison with a
// problem ("split differs"), not two silently unmatched evaluations.
Pairing pair_evaluations(const RunDetail& baseline, const RunDetail& candidate) {
  std::map<EvaluationKey, const EvaluationSummary*> candidates;
  for (const auto& e : candidate.evaluations) candidates.emplace(key_of(e), &e);
  Pairing out;
  std::vector<const EvaluationSummary*> baseline_left;
  for (const auto& e : baseline.evaluations) {
    const auto it = candidates.find(key_of(e));
    if (it == candidates.end()) {
      baseline_left.push_back(&e);
      continue;
    }
    out.pairs.emplace_back(&e, it->second);
    candidates.erase(it);
  }
  for (const auto* b : baseline_left) {
    const auto it = std::find_if(candidates.begin(), candidates.end(), [&](const auto& entry) {
      const auto& c = entry.first;
      return c.task == b->spec.task && c.shots == b->spec.shots && c.trial == b->spec.trial;
    });
    if (it == candidates.end()) {
      out.unmatched.push_back(key_of(*b));
      continue;
    }
    out.pairs.emplace_back(b, it->second);
    candidates.erase(it);
  }
  for (const auto& [key, e] : candidates) out.unmatched.push_back(key);
  std::sort(out.pairs.begin(), out.pairs.end(),
            [](const auto& x, const auto& y) { return key_of(*x.first) < key_of(*y.first); });
  std::sort(out.unmatched.begin(), out.unmatched.end());
  return out;
}

std::string describe_template(const store::EvaluationStart& spec) {
  return spec.template_id + " (hash " + spec.template_hash + ")";
}

// What makes the two evaluations incomparable before any sample is read.
std::vector<std::string> setting_problems(const EvaluationSummary& b, const EvaluationSummary& c) {
  std::vector<std::string> problems;
  if (b.spec.template_id != c.spec.template_id || b.spec.template_hash != c.spec.template_hash)
    problems.push_back("template differs: " + describe_template(b.spec) + " vs " + describe_template(c.spec));
  if (b.spec.split != c.spec.split) problems.push_back("split differs: " + b.spec.split + " vs " + c.spec.split);
  using Side = std::pair<const char*, const EvaluationSummary*>;
  for (const auto& [side, e] : {Side{"baseline", &b}, Side{"candidate", &c}}) {
    if (e->status != "completed")
      problems.push_back(std::string(side) + " evaluation " + std::to_string(e->id) + " is " + e->status +
                         ", not completed");
    if (e->metrics.empty())
      problems.push_back(std::string(side) + " evaluation " + std::to_string(e->id) + " has no metrics (not scored)");
  }
  if (!b.metrics.empty() && !c.metrics.empty() && b.metrics.front().name != c.metrics.front().name)
    problems.push_back("headline metric differs: " + b.metrics.front().name + " vs " + c.metrics.front().name);
  return problems;
}

std::optional<double> stored_score(const store::SampleResult& s, const std::string& metric) {
  const auto it = s.scores.find(metric);
  if (it == s.scores.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// The shared samples' scores in baseline position order, with what makes them
// unusable: changed ground truth (the data changed) or a missing score.
struct SharedScores {
  std::vector<double> baseline, candidate;
  std::size_t changed_truth = 0, missing_score = 0;
  std::string first_changed, first_missing;
};

SharedScores shared_scores(const std::vector<store::SampleResult>& baseline,
                           const std::vector<store::SampleResult>& candidate, const std::string& metric, double scale) {
  std::unordered_map<std::string, const store::SampleResult*> by_key;
  by_key.reserve(candidate.size());
  for (const auto& s : candidate) by_key.emplace(s.key, &s);
  SharedScores out;
  for (const auto& b : baseline) {
    const auto it = by_key.find(b.key);
    if (it == by_key.end()) continue;
    const auto& c = *it->second;
    if (b.ground_truth != c.ground_truth && out.changed_truth++ == 0) out.first_changed = b.key;
    const auto b_score = stored_score(b, metric), c_score = stored_score(c, metric);
    if (!b_score || !c_score) {
      if (out.missing_score++ == 0) out.first_missing = b.key;
      continue;
    }
    // Failed samples keep their stored score (an empty output's, 0): they count against the run.
    out.baseline.push_back(*b_score * scale);
    out.candidate.push_back(*c_score * scale);
  }
  return out;
}

Comparison compare_pair(store::ResultsStore& baseline_db, const EvaluationSummary& b, store::ResultsStore& candidate_db,
                        const EvaluationSummary& c, const metrics::BootstrapOptions& options) {
  Comparison out;
  out.key = key_of(b);
  out.baseline_evaluation = b.id;
  out.candidate_evaluation = c.id;
  out.problems = setting_problems(b, c);
  const double scale = points_scale(b.spec.task);
  if (!b.metrics.empty()) {
    out.metric = b.metrics.front().name;
    out.baseline_value = b.metrics.front().value * scale;
  }
  if (!c.metrics.empty()) out.candidate_value = c.metrics.front().value * scale;
  const auto baseline_samples = baseline_db.samples(b.id);
  const auto candidate_samples = candidate_db.samples(c.id);
  out.baseline_samples = baseline_samples.size();
  out.candidate_samples = candidate_samples.size();
  // Without one headline metric on both sides there are no per-sample scores to pair (already a problem).
  if (out.metric.empty() || c.metrics.empty() || c.metrics.front().name != out.metric) return out;

  const SharedScores shared = shared_scores(baseline_samples, candidate_samples, out.metric, scale);
  const std::size_t shared_count = shared.baseline.size() + shared.missing_score;
  if (shared_count == 0)
    out.problems.push_back("no shared samples (baseline " + std::to_string(out.baseline_samples) + ", candidate " +
                           std::to_string(out.candidate_samples) + " samples, no sample key in common)");
  if (shared.changed_truth > 0)
    out.problems.push_back("data differs: " + std::to_string(shared.changed_truth) + " of " +
                           std::to_string(shared_count) + " shared samples have a different ground truth (first: '" +
                           shared.first_changed + "')");
  if (shared.missing_score > 0) {
    out.problems.push_back(std::to_string(shared.missing_score) + " shared samples have no stored " + out.metric +
                           " score (first: '" + shared.first_missing + "')");
    return out;  // a difference over some of the shared samples would not be the one asked for
  }
  out.difference = metrics::paired_difference(shared.baseline, shared.candidate, options);
  return out;
}

}  // namespace

double points_scale(const std::string& task) {
  if (task == "coco" || task == "nocaps" || task == "textcaps") return 100.0;  // CIDEr is stored as 1.12
  if (task == "vqav2" || task == "okvqa" || task == "textvqa" || task == "vizwiz") return 1.0;  // stored 0-100
  if (task == "gqa" || task == "mmmu") return 100.0;                                            // stored 0-1
  throw Error("task '" + task + "'", "has no points scale (known: " + tasks::known_task_ids() + ")");
}

std::vector<Comparison> compare_runs(store::ResultsStore& baseline_db, std::int64_t baseline_run,
                                     store::ResultsStore& candidate_db, std::int64_t candidate_run,
                                     const metrics::BootstrapOptions& options) {
  const RunDetail baseline = load_run(baseline_db, baseline_run);
  const RunDetail candidate = load_run(candidate_db, candidate_run);
  std::vector<Comparison> out;
  for (const auto& [b, c] : pair_evaluations(baseline, candidate).pairs)
    out.push_back(compare_pair(baseline_db, *b, candidate_db, *c, options));
  return out;
}

std::vector<EvaluationKey> unmatched_evaluations(store::ResultsStore& baseline_db, std::int64_t baseline_run,
                                                 store::ResultsStore& candidate_db, std::int64_t candidate_run) {
  return pair_evaluations(load_run(baseline_db, baseline_run), load_run(candidate_db, candidate_run)).unmatched;
}

std::vector<Headline> headline_values(store::ResultsStore& db, std::int64_t run) {
  std::vector<Headline> out;
  for (const auto& e : load_run(db, run).evaluations) {
    Headline h{key_of(e), e.id, "", 0, e.status, static_cast<std::size_t>(e.samples_done)};
    if (!e.metrics.empty()) {
      h.metric = e.metrics.front().name;
      h.value = e.metrics.front().value * points_scale(e.spec.task);
    }
    out.push_back(std::move(h));
  }
  std::sort(out.begin(), out.end(), [](const Headline& x, const Headline& y) { return x.key < y.key; });
  return out;
}

}  // namespace mmh::compare
