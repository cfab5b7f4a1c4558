#pragma once
// Readers for the benchmarks' official annotation files and results
// (prediction) files, into the samples the metrics take. Every way a file can
// be wrong gives one mmh::Error naming the file and the record or id.
// Formats: ../shared/refdata/metrics/datasets_spec.md and docs/metrics.md.
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "tasks/metrics/caption.h"
#include "tasks/metrics/gqa.h"
#include "tasks/metrics/mmmu.h"
#include "tasks/metrics/vqa.h"

namespace mmh::tasks {

namespace fs = std::filesystem;

// Captions, detected by content: COCO format (`images` + `annotations`: COCO
// captions, NoCaps), the Karpathy `dataset_coco.json` (its `test` split,
// references `sentences[].raw`), or TextCaps (`data[]` with `reference_strs`).
// Samples in file order; ids are image ids as text; predictions left empty.
std::vector<metrics::CaptionSample> read_caption_annotations(const fs::path& file);

// VQA-family annotations: a VQA-format annotations file (`annotations[]` with
// ten `answers`; VQAv2, OK-VQA, and the VQA-format TextVQA/VizWiz conversions),
// the official TextVQA file (`data[]` with ten answer strings), or the official
// VizWiz file (a list of `{image, answers, answer_type}`). A VQA questions
// file may be given too and is checked to cover the same ids. Sample ids are
// question ids, except VizWiz, whose results are keyed by image name.
std::vector<metrics::VqaSample> read_vqa_annotations(metrics::VqaTask task, std::span<const fs::path> files);

// GQA `*_balanced_questions.json`: the balanced questions, in file order.
std::vector<metrics::GqaSample> read_gqa_questions(const fs::path& file);

// MMMU gold from `answer_dict_val.json` ({id: {question_type, ground_truth}}).
std::vector<metrics::MmmuSample> read_mmmu_answer_dict(const fs::path& file);

// MMMU `output.json` of main_parse_and_eval.py: records carrying the gold
// (`answer`, `all_choices`, `index2ans`) and the raw `response`.
struct MmmuOutputs {
  std::vector<metrics::MmmuSample> samples;
  std::vector<std::string> responses;
};
MmmuOutputs read_mmmu_output(const fs::path& file);

// A results file, aligned to the samples: the prediction of every sample, in
// sample order. The file is a list of objects with an id field and a text
// field (`image_id`/`caption`, `question_id`/`answer`, `image`/`answer`,
// `questionId`/`prediction`), or an object {id: text} when id_field is empty
// (MMMU total_val_output.json). A sample without a prediction, a prediction
// for an id not among the samples, and a repeated id are each an error naming
// the id and the file.
std::vector<std::string> read_predictions(const fs::path& file, const std::string& id_field,
                                          const std::string& text_field, const std::vector<std::string>& sample_ids);

// read_predictions in two steps, so that a large results file can be parsed
// while the annotations are read: the file's records in order, then aligned.
struct ParsedPredictions {
  fs::path file;
  bool keyed = false;  // an object {id: text}, not a list of records
  std::vector<std::pair<std::string, std::string>> records;  // (id, text)
};
ParsedPredictions parse_predictions(const fs::path& file, const std::string& id_field, const std::string& text_field);
std::vector<std::string> align_predictions(ParsedPredictions parsed, const std::vector<std::string>& sample_ids);

}  // namespace mmh::tasks
