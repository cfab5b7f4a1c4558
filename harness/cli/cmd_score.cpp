// mmharness score: score a predictions file against official annotations,
// without running a model, with the official-parity metrics.
#include <CLI/CLI.hpp>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <iostream>

#include "common/error.h"
#include "harness/cli/app.h"
#include "harness/cli/store_json.h"
#include "harness/cli/text_table.h"
#include "tasks/catalog.h"
#include "tasks/metrics/bootstrap.h"
#include "tasks/official_files.h"

namespace mmh::cli {
namespace {

struct ScoreOptions {
  std::string task;
  std::vector<std::string> annotations;
  std::string predictions;
  bool json = false;
  std::string per_sample;
  std::string gqa_match = "exact";
  bool okvqa_stem_prediction = false;
  int bootstrap = 1000;
  std::uint64_t seed = 0;
};

// What one task's scoring produced: the metric result, plus what each sample
// was (id, prediction, its references) for --per-sample.
struct Scored {
  metrics::MetricResult result;
  std::vector<std::string> ids;
  std::vector<std::string> predictions;
  // Sample i's references as JSON, built only when --per-sample asks for them
  // (200,000 VQAv2 answer lists as JSON cost more than scoring them).
  std::function<nlohmann::json(std::size_t)> references;
};

// Keeps the samples for Scored::references; `of` maps a sample to its references.
template <class Sample, class Of>
std::function<nlohmann::json(std::size_t)> references_of(std::vector<Sample> samples, Of of) {
  auto kept = std::make_shared<const std::vector<Sample>>(std::move(samples));
  return [kept, of](std::size_t i) { return nlohmann::json(of((*kept)[i])); };
}

const std::string& single_annotation(const ScoreOptions& o) {
  if (o.annotations.size() != 1) throw Error("--annotations", "task " + o.task + " takes exactly one annotation file");
  return o.annotations.front();
}

Scored score_captions(const ScoreOptions& o) {
  auto samples = tasks::read_caption_annotations(single_annotation(o));
  Scored s;
  for (const auto& sample : samples) s.ids.push_back(sample.id);
  s.predictions = tasks::read_predictions(o.predictions, "image_id", "caption", s.ids);
  for (std::size_t i = 0; i < samples.size(); ++i) samples[i].prediction = s.predictions[i];
  s.result = metrics::caption_metrics(samples);
  s.references = references_of(std::move(samples), [](const auto& sample) { return sample.references; });
  s.result.notes["not_computed"] = {"METEOR", "SPICE"};
  s.result.notes["not_computed_reason"] = "they need Java and resources (WordNet, CoreNLP models) not available here";
  return s;
}

Scored score_vqa(const ScoreOptions& o, metrics::VqaTask task) {
  std::vector<std::filesystem::path> files(o.annotations.begin(), o.annotations.end());
  // VQAv2's files are large: the results file is parsed on a second core while the annotations are read.
  const bool vizwiz = task == metrics::VqaTask::kVizWiz;
  auto parsed = std::async(std::launch::async, tasks::parse_predictions, std::filesystem::path(o.predictions),
                           std::string(vizwiz ? "image" : "question_id"), std::string("answer"));
  auto samples = tasks::read_vqa_annotations(task, files);
  Scored s;
  s.ids.reserve(samples.size());
  for (const auto& sample : samples) s.ids.push_back(sample.question_id);
  s.predictions = tasks::align_predictions(parsed.get(), s.ids);
  s.result = metrics::vqa_accuracy(task, samples, s.predictions, {o.okvqa_stem_prediction});
  s.references = references_of(std::move(samples), [](const auto& sample) { return sample.answers; });
  return s;
}

Scored score_gqa(const ScoreOptions& o) {
  auto samples = tasks::read_gqa_questions(single_annotation(o));
  Scored s;
  for (const auto& sample : samples) s.ids.push_back(sample.question_id);
  s.predictions = tasks::read_predictions(o.predictions, "questionId", "prediction", s.ids);
  const auto match = o.gqa_match == "exact" ? metrics::GqaMatch::kExact : metrics::GqaMatch::kLowerTrailingPeriod;
  s.result = metrics::gqa_accuracy(samples, s.predictions, match);
  s.references = references_of(std::move(samples), [](const auto& sample) { return sample.answer; });
  return s;
}

// Two official inputs: output.json records with gold and raw responses
// (main_parse_and_eval.py), or {id: prediction} with answer_dict_val.json as
// --annotations (main_eval_only.py).
Scored score_mmmu(const ScoreOptions& o) {
  Scored s;
  std::vector<metrics::MmmuSample> samples;
  metrics::MmmuInput input;
  if (o.annotations.empty()) {
    auto outputs = tasks::read_mmmu_output(o.predictions);
    samples = std::move(outputs.samples);
    s.predictions = std::move(outputs.responses);
    for (const auto& sample : samples) s.ids.push_back(sample.id);
    input = metrics::MmmuInput::kResponses;
  } else {
    samples = tasks::read_mmmu_answer_dict(single_annotation(o));
    for (const auto& sample : samples) s.ids.push_back(sample.id);
    s.predictions = tasks::read_predictions(o.predictions, "", "", s.ids);
    input = metrics::MmmuInput::kPredictions;
  }
  s.result = metrics::mmmu_accuracy(samples, s.predictions, input);
  s.references = references_of(std::move(samples), [](const auto& sample) { return sample.answers; });
  return s;
}

Scored score_task(const ScoreOptions& o) {
  if (o.task == "coco" || o.task == "nocaps" || o.task == "textcaps") return score_captions(o);
  if (o.task == "vqav2") return score_vqa(o, metrics::VqaTask::kVqaV2);
  if (o.task == "okvqa") return score_vqa(o, metrics::VqaTask::kOkVqa);
  if (o.task == "textvqa") return score_vqa(o, metrics::VqaTask::kTextVqa);
  if (o.task == "vizwiz") return score_vqa(o, metrics::VqaTask::kVizWiz);
  if (o.task == "gqa") return score_gqa(o);
  return score_mmmu(o);  // the callback has checked the task id
}

void write_per_sample(const std::string& path, const Scored& s) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(path, "cannot be opened for writing");
  for (std::size_t i = 0; i < s.ids.size(); ++i) {
    nlohmann::json scores = nlohmann::json::object();
    for (const auto& score : s.result.scores) scores[score.name] = score.per_sample[i];
    const nlohmann::json line = {
        {"id", s.ids[i]}, {"prediction", s.predictions[i]}, {"references", s.references(i)}, {"scores", scores}};
    out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  if (!out.flush()) throw Error(path, "write failed");
}

void print_table(const std::string& task, const Scored& s, const std::vector<metrics::Interval>& intervals) {
  std::cout << "task " << task << ": " << s.ids.size() << " samples\n\n";
  TextTable table({"metric", "value", "95% CI", "n"});
  for (std::size_t i = 0; i < s.result.scores.size(); ++i) {
    const auto& score = s.result.scores[i];
    table.add_row({score.name, format_number(score.corpus, 4),
                   intervals.empty()
                       ? "-"
                       : "[" + format_number(intervals[i].low, 4) + ", " + format_number(intervals[i].high, 4) + "]",
                   std::to_string(score.per_sample.size())});
  }
  table.print(std::cout);
  if (!s.result.breakdown.empty()) {
    std::cout << "\n";
    TextTable breakdown({"breakdown", "value"});
    for (const auto& [name, value] : s.result.breakdown) breakdown.add_row({name, format_number(value, 4)});
    breakdown.print(std::cout);
  }
  for (const auto& [key, value] : s.result.notes.items())
    std::cout << "\nnote: " << key << " = " << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (!s.result.notes.empty()) std::cout << "\n";
}

// The file(s) the samples came from, for an error about the sample set as a whole.
std::string sample_source(const ScoreOptions& o) {
  if (o.annotations.empty()) return o.predictions;  // MMMU output.json carries its own gold
  std::string files;
  for (const auto& f : o.annotations) files += (files.empty() ? "" : ", ") + f;
  return files;
}

void score(const ScoreOptions& o) {
  const Scored s = score_task(o);
  // An empty set would print a score of 0 with a zero-width interval, which reads like a real result.
  if (s.ids.empty()) throw Error(sample_source(o), "has no samples to score");
  std::vector<metrics::Interval> intervals;
  if (o.bootstrap > 0) intervals = metrics::bootstrap_intervals(s.result.scores, {o.bootstrap, o.seed, 0.95});
  if (!o.per_sample.empty()) write_per_sample(o.per_sample, s);

  if (!o.json) {
    print_table(o.task, s, intervals);
    return;
  }
  nlohmann::json out = {{"task", o.task},
                        {"n", s.ids.size()},
                        {"metrics", nlohmann::json::object()},
                        {"ci95", nlohmann::json::object()},
                        {"breakdown", s.result.breakdown},
                        {"notes", s.result.notes},
                        {"bootstrap", {{"replicates", o.bootstrap}, {"seed", o.seed}}}};
  for (std::size_t i = 0; i < s.result.scores.size(); ++i) {
    out["metrics"][s.result.scores[i].name] = s.result.scores[i].corpus;
    if (!intervals.empty()) out["ci95"][s.result.scores[i].name] = {intervals[i].low, intervals[i].high};
  }
  print_json(std::cout, out);
}

}  // namespace

void add_score_command(CLI::App& app) {
  auto o = std::make_shared<ScoreOptions>();
  auto* cmd = app.add_subcommand("score", "Score a predictions file against official annotations (no model needed)");
  cmd->add_option("--task", o->task, "Task id: coco, nocaps, textcaps, vqav2, textvqa, vizwiz, gqa, okvqa, mmmu")
      ->required();
  cmd->add_option("--annotations", o->annotations,
                  "Official annotation file(s); VQA tasks: annotations and optionally questions; "
                  "MMMU: answer_dict_val.json, or none with an output.json");
  cmd->add_option("--predictions", o->predictions, "Results file in the official format of the task")->required();
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->add_option("--per-sample", o->per_sample, "Also write per-sample scores as JSON lines to FILE");
  cmd->add_option("--gqa-match", o->gqa_match, "GQA matching: exact (official) or lower-period")
      ->capture_default_str()
      ->check(CLI::IsMember({"exact", "lower-period"}));
  cmd->add_flag("--okvqa-stem-prediction", o->okvqa_stem_prediction,
                "OK-VQA: stem predictions as Flamingo-style evaluations do (not supported; see docs/metrics.md)");
  cmd->add_option("--bootstrap", o->bootstrap, "Bootstrap resamples for the 95% intervals (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--seed", o->seed, "Bootstrap seed")->capture_default_str();
  cmd->callback([o] {
    // Settings are checked before any file is read.
    if (!tasks::find_task(o->task))
      throw Error("--task", "unknown task '" + o->task + "' (known: " + tasks::known_task_ids() + ")");
    if (o->annotations.empty() && o->task != "mmmu") throw Error("--annotations", "is required for task " + o->task);
    if (o->okvqa_stem_prediction && o->task != "okvqa")
      throw Error("--okvqa-stem-prediction", "applies to task okvqa only");
    score(*o);
  });
}

}  // namespace mmh::cli
