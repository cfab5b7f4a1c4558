#pragma once
// The named steps from a model's raw output to the prediction that is scored.
// Both are stored, so a step can be re-examined later; the names are recorded
// with every evaluation.
#include <span>
#include <string>
#include <string_view>

namespace mmh::tasks {

struct PostprocessStep {
  std::string name;         // as in TaskInfo::postprocess
  std::string description;  // one line, for docs and --help
};

// "caption": cut at the next demonstration marker ("Output") or the first newline, then trim (open_flamingo's
//            postprocess_captioning_generation, plus the newline cut for chat models).
// "vqa_short": cut at the next marker ("Question", "Answer", "Short") or newline, keep the first clause (cut at
//            ", "), trim (open_flamingo's postprocess_vqa_generation).
// "mmmu_response": trim only; the MMMU metric parses the response as the official script does.
std::span<const PostprocessStep> postprocess_steps();

// Applies the named step; an unknown name is an mmh::Error.
std::string postprocess(std::string_view step, std::string_view raw);

}  // namespace mmh::tasks
