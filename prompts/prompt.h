#pragma once
// The contract between tasks and model families: a prompt is an ordered list
// of text and image segments. Tasks build it (demonstrations, then the query);
// the model family renders it into tokens, choosing its own image placeholder,
// end-of-chunk text and chat wrapper, so no task ever hard-codes a model's
// special tokens.
#include <filesystem>
#include <string>
#include <vector>

namespace mmh::prompts {

struct ImageRef {
  std::string key;             // stable key, e.g. "coco/val2014/COCO_val2014_000000391895.jpg"
  std::filesystem::path path;  // where the bytes are read from
};

// Who says a segment, for chat models: the family wraps consecutive user and
// assistant segments in its chat template. kNone: plain text (pre-trained models).
enum class Role { kNone, kUser, kAssistant };

struct Segment {
  enum class Kind {
    kText,
    kImage,
    kEndOfChunk,  // between demonstrations: the family's end-of-chunk text (Flamingo: <|endofchunk|>) or "\n"
  };
  Kind kind = Kind::kText;
  std::string text;  // kText
  ImageRef image;    // kImage
  Role role = Role::kNone;
};

using Prompt = std::vector<Segment>;

// The prompt as plain text, images as "<image>" markers, end of chunk as a
// newline, chat turns marked "USER:" / "ASSISTANT:": how `mmharness prompt`
// shows it before any model renders it.
std::string preview_text(const Prompt& prompt);

}  // namespace mmh::prompts
