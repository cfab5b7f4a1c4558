#pragma once
// The contract between tasks and model families: a prompt is an ordered list
// of text and image segments. Tasks build it (demonstrations, then the query);
// the model family renders it into tokens, choosing its own image placeholder
// and chat wrapper, so no task ever hard-codes a model's special tokens.
#include <filesystem>
#include <string>
#include <vector>

namespace mmh::prompts {

struct ImageRef {
  std::string key;             // stable content key, e.g. "coco/val2014/COCO_val2014_000000391895.jpg"
  std::filesystem::path path;  // where the bytes are read from
};

struct Segment {
  enum class Kind { kText, kImage };
  Kind kind = Kind::kText;
  std::string text;  // kText
  ImageRef image;    // kImage
};

using Prompt = std::vector<Segment>;

}  // namespace mmh::prompts
