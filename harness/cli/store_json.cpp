#include "harness/cli/store_json.h"

#include "harness/cli/text_table.h"

namespace mmh::cli {
namespace {

nlohmann::json optional_json(const auto& value) { return value ? nlohmann::json(*value) : nlohmann::json(nullptr); }

nlohmann::json to_json(const store::Metric& m) {
  return {{"name", m.name}, {"value", m.value}, {"ci_low", optional_json(m.ci_low)},
          {"ci_high", optional_json(m.ci_high)}, {"n", m.n}};
}

nlohmann::json to_json(const store::EvaluationSummary& e) {
  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& m : e.metrics) metrics.push_back(to_json(m));
  return {{"id", e.id},
          {"task", e.spec.task},
          {"split", e.spec.split},
          {"shots", e.spec.shots},
          {"trial", e.spec.trial},
          {"template_id", e.spec.template_id},
          {"template_hash", e.spec.template_hash},
          {"sample_count", e.spec.sample_count},
          {"samples_done", e.samples_done},
          {"samples_failed", e.samples_failed},
          {"samples_cached", e.samples_cached},
          {"postprocess", e.spec.postprocess},
          {"status", e.status},
          {"wall_seconds", optional_json(e.wall_seconds)},
          {"metrics", std::move(metrics)}};
}

}  // namespace

nlohmann::json to_json(const store::RunSummary& r) {
  return {{"id", r.id},
          {"name", optional_json(r.name)},
          {"status", r.status},
          {"started_at", r.started_at},
          {"ended_at", optional_json(r.ended_at)},
          {"model",
           {{"path", r.model.path}, {"family", r.model.family}, {"digest", r.model.digest}, {"dtype", r.model.dtype}}},
          {"device", r.device},
          {"host", r.host},
          {"harness_version", r.harness_version},
          {"git_revision", r.git_revision},
          {"evaluation_count", r.evaluation_count},
          {"fingerprint", r.fingerprint},
          {"shard", {{"index", r.shard_index}, {"count", r.shard_count}}}};
}

nlohmann::json to_json(const store::RunDetail& run) {
  nlohmann::json j = to_json(run.summary);
  j["argv"] = run.argv;
  j["seeds"] = run.seeds;
  j["settings"] = run.settings;
  j["evaluations"] = nlohmann::json::array();
  for (const auto& e : run.evaluations) j["evaluations"].push_back(to_json(e));
  return j;
}

}  // namespace mmh::cli

namespace mmh::cli {
void print_json(std::ostream& out, const nlohmann::json& value) {
  out << value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}
std::string format_interval(const store::Metric& metric) {
  if (!metric.ci_low || !metric.ci_high) return "-";
  return "[" + format_number(*metric.ci_low) + ", " + format_number(*metric.ci_high) + "]";
}

}  // namespace mmh::cli
