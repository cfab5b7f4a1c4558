#include "tasks/score_samples.h"

#include "common/error.h"
#include "tasks/metrics/caption.h"
#include "tasks/metrics/gqa.h"
#include "tasks/metrics/mmmu.h"
#include "tasks/metrics/vqa.h"

namespace mmh::tasks {
namespace {

std::string meta_of(const TaskSample& s, const std::string& name) {
  auto it = s.meta.find(name);
  return it == s.meta.end() ? std::string() : it->second;
}

metrics::MetricResult score_vqa(metrics::VqaTask task, std::span<const TaskSample> samples,
                                std::span<const std::string> predictions) {
  std::vector<metrics::VqaSample> vqa;
  vqa.reserve(samples.size());
  for (const auto& s : samples)
    vqa.push_back({s.key, s.references, meta_of(s, "answer_type"), meta_of(s, "question_type")});
  return metrics::vqa_accuracy(task, vqa, predictions);
}

}  // namespace

metrics::MetricResult score_predictions(const TaskInfo& task, std::span<const TaskSample> samples,
                                        std::span<const std::string> predictions) {
  metrics::require_aligned(task.id.c_str(), samples.size(), predictions.size());
  const std::string& id = task.id;
  if (task.prompt == PromptKind::kCaption) {
    std::vector<metrics::CaptionSample> captions;
    captions.reserve(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i)
      captions.push_back({samples[i].key, samples[i].references, predictions[i]});
    auto result = metrics::caption_metrics(captions);
    result.notes["not_computed"] = {"METEOR", "SPICE"};
    return result;
  }
  if (id == "vqav2") return score_vqa(metrics::VqaTask::kVqaV2, samples, predictions);
  if (id == "okvqa") return score_vqa(metrics::VqaTask::kOkVqa, samples, predictions);
  if (id == "textvqa") return score_vqa(metrics::VqaTask::kTextVqa, samples, predictions);
  if (id == "vizwiz") return score_vqa(metrics::VqaTask::kVizWiz, samples, predictions);
  if (id == "gqa") {
    std::vector<metrics::GqaSample> gqa;
    gqa.reserve(samples.size());
    for (const auto& s : samples)
      gqa.push_back({s.key, s.references.empty() ? std::string() : s.references.front(), meta_of(s, "structural"),
                     meta_of(s, "semantic")});
    return metrics::gqa_accuracy(gqa, predictions, metrics::GqaMatch::kExact);
  }
  if (id == "mmmu") {
    std::vector<metrics::MmmuSample> mmmu;
    mmmu.reserve(samples.size());
    for (const auto& s : samples) mmmu.push_back({s.key, meta_of(s, "question_type"), s.options, s.references});
    return metrics::mmmu_accuracy(mmmu, predictions, metrics::MmmuInput::kResponses);
  }
  throw Error("task " + id, "has no metric");
}

nlohmann::json ground_truth_json(const TaskSample& sample) {
  nlohmann::json truth = {{"references", sample.references}};
  if (!sample.options.empty()) truth["options"] = sample.options;
  if (!sample.meta.empty()) truth["meta"] = sample.meta;
  return truth;
}

TaskSample sample_from_ground_truth(const std::string& key, const nlohmann::json& truth, const std::string& where) {
  auto strings = [&](const char* field, bool required) {
    std::vector<std::string> out;
    if (!truth.is_object() || !truth.contains(field)) {
      if (required) throw Error(where, std::string("ground truth has no '") + field + "'");
      return out;
    }
    const auto& list = truth[field];
    if (!list.is_array()) throw Error(where, std::string("ground truth '") + field + "' is not a list");
    for (const auto& item : list) {
      if (!item.is_string()) throw Error(where, std::string("ground truth '") + field + "' holds a non-string");
      out.push_back(item.get<std::string>());
    }
    return out;
  };
  TaskSample s;
  s.key = key;
  s.references = strings("references", true);
  s.options = strings("options", false);
  if (truth.contains("meta")) {
    if (!truth["meta"].is_object()) throw Error(where, "ground truth 'meta' is not an object");
    for (const auto& [name, value] : truth["meta"].items()) {
      if (!value.is_string()) throw Error(where, "ground truth meta '" + name + "' is not a string");
      s.meta[name] = value.get<std::string>();
    }
  }
  return s;
}

}  // namespace mmh::tasks
