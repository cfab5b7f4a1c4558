#include "tasks/catalog.h"

#include "tasks/task_data.h"

#include <algorithm>

namespace mmh::tasks {
namespace {

// File names and folders follow the official downloads; see
// docs/datasets.md and ../shared/refdata/metrics/datasets_spec.md.
const std::vector<TaskInfo>& catalog() {
  // Instructions as LLaVA-1.5's evaluation and lmms-eval word them; lengths as open_flamingo's evaluation.
  const std::string short_answer = "Answer the question using a single word or phrase.";
  const std::string caption = "Provide a one-sentence caption for the provided image.";
  static const std::vector<TaskInfo> tasks = {
      {"coco", "COCO Captions (Karpathy split)", "captioning", "test", "train", "CIDEr",
       {{"official", {"coco/dataset_coco.json", "coco/train2014/", "coco/val2014/"}}},
       PromptKind::kCaption, caption, "", 20, "caption"},
      {"nocaps", "NoCaps", "captioning", "val", "coco:train", "CIDEr",
       {{"official",
         {"nocaps/nocaps_val_4500_captions.json", "nocaps/validation/", "coco/dataset_coco.json",
          "coco/train2014/"}}},
       PromptKind::kCaption, caption, "", 20, "caption"},
      {"textcaps", "TextCaps", "captioning", "val", "train", "CIDEr",
       {{"official",
         {"textcaps/TextCaps_0.1_train.json", "textcaps/TextCaps_0.1_val.json", "textcaps/train_images/"}}},
       PromptKind::kCaption, caption, "", 20, "caption"},
      {"vqav2", "VQAv2", "vqa", "val", "train", "accuracy",
       {{"official",
         {"vqav2/v2_OpenEnded_mscoco_train2014_questions.json", "vqav2/v2_OpenEnded_mscoco_val2014_questions.json",
          "vqav2/v2_mscoco_train2014_annotations.json", "vqav2/v2_mscoco_val2014_annotations.json",
          "coco/train2014/", "coco/val2014/"}}},
       PromptKind::kVqa, short_answer, "", 10, "vqa_short"},
      {"textvqa", "TextVQA", "vqa", "val", "train", "accuracy",
       {{"official",
         {"textvqa/TextVQA_0.5.1_train.json", "textvqa/TextVQA_0.5.1_val.json", "textvqa/train_images/"}}},
       PromptKind::kVqa, short_answer, "", 10, "vqa_short"},
      {"vizwiz", "VizWiz-VQA", "vqa", "val", "train", "accuracy",
       {{"official", {"vizwiz/train.json", "vizwiz/val.json", "vizwiz/train/", "vizwiz/val/"}}},
       PromptKind::kVqa,
       "When the provided information is insufficient, respond with 'Unanswerable'.\n" + short_answer, "", 10,
       "vqa_short"},
      {"gqa", "GQA (balanced)", "vqa", "testdev", "train", "accuracy",
       {{"official",
         {"gqa/train_balanced_questions.json", "gqa/testdev_balanced_questions.json", "gqa/images/"}}},
       PromptKind::kVqa, short_answer, "", 10, "vqa_short"},
      {"okvqa", "OK-VQA v1.1", "vqa", "val", "train", "accuracy",
       {{"official",
         {"okvqa/OpenEnded_mscoco_train2014_questions.json", "okvqa/OpenEnded_mscoco_val2014_questions.json",
          "okvqa/mscoco_train2014_annotations.json", "okvqa/mscoco_val2014_annotations.json", "coco/train2014/",
          "coco/val2014/"}}},
       PromptKind::kVqa, short_answer, "", 10, "vqa_short"},
      {"mmmu", "MMMU", "multi-discipline QA", "validation", "dev", "accuracy",
       {{"HF JSONL export", {"mmmu/dev.jsonl", "mmmu/validation.jsonl", "mmmu/images/"}}},
       PromptKind::kMultipleChoice, "Answer with the option's letter from the given choices directly.", short_answer, 32,
       "mmmu_response"},
  };
  return tasks;
}

}  // namespace

std::span<const TaskInfo> task_catalog() { return catalog(); }

const TaskInfo* find_task(std::string_view id) {
  for (const TaskInfo& t : catalog())
    if (t.id == id) return &t;
  return nullptr;
}

std::string known_task_ids() {
  std::string ids;
  for (const TaskInfo& t : catalog()) ids += (ids.empty() ? "" : ", ") + t.id;
  return ids;
}

bool LayoutCheck::complete() const {
  return std::all_of(paths.begin(), paths.end(), [](const PathCheck& p) { return p.found; });
}

std::vector<LayoutCheck> check_files(const TaskInfo& task, const DataRoot& root) {
  std::vector<LayoutCheck> checks;
  for (const FileLayout& layout : task.layouts) {
    LayoutCheck check{&layout, {}};
    for (const std::string& rel : layout.paths) {
      std::error_code ec;
      const bool is_folder = rel.ends_with('/');
      const auto full = root.resolve(rel);
      const bool found =
          is_folder ? std::filesystem::is_directory(full, ec) : std::filesystem::is_regular_file(full, ec);
      check.paths.push_back({rel, found});
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

}  // namespace mmh::tasks
