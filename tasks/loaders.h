#pragma once
// The per-format loaders behind load_task() (task_data.cpp). Each reads one
// official file into samples; none opens an image.
#include "tasks/task_data.h"

namespace mmh::tasks::loaders {

// Karpathy dataset_coco.json: the images of one split ("test", "train").
SplitData coco_karpathy(const DataRoot& root, const std::string& split);
// nocaps_val_4500_captions.json (COCO format).
SplitData nocaps(const DataRoot& root);
// TextCaps_0.1_<split>.json, one sample per image.
SplitData textcaps(const DataRoot& root, const std::string& split);
// VQA-format questions + annotations of VQAv2 ("vqav2") or OK-VQA ("okvqa"); split "train" or "val".
SplitData vqa_format(const DataRoot& root, const std::string& task, const std::string& split);
SplitData textvqa(const DataRoot& root, const std::string& split);
SplitData vizwiz(const DataRoot& root, const std::string& split);
// GQA <split>_balanced_questions.json ("train", "testdev").
SplitData gqa(const DataRoot& root, const std::string& split);
// MMMU <split>.jsonl ("dev", "validation") with images/.
SplitData mmmu(const DataRoot& root, const std::string& split);

// An image by its key (path relative to the data root), resolved.
ImageFile image_at(const DataRoot& root, std::string key);

// The most frequent answer, ties to the earliest (the VQA demonstration answer).
std::string most_frequent(const std::vector<std::string>& answers);

// Python's str.strip() for ASCII whitespace, as the official loaders trim captions.
std::string trimmed(std::string_view text);

}  // namespace mmh::tasks::loaders
