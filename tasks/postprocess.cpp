#include "tasks/postprocess.h"

#include <vector>

#include "common/error.h"

namespace mmh::tasks {
namespace {

std::string_view before(std::string_view text, std::string_view marker) {
  const auto at = text.find(marker);
  return at == std::string_view::npos ? text : text.substr(0, at);
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\n\r\f\v");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\n\r\f\v") - first + 1);
}

}  // namespace

std::span<const PostprocessStep> postprocess_steps() {
  static const std::vector<PostprocessStep> steps = {
      {"caption", "cut at the next \"Output\" marker or the first newline, trim"},
      {"vqa_short", "cut at the next \"Question\", \"Answer\" or \"Short\" marker or newline, keep the part before "
                    "the first \", \", trim"},
      {"mmmu_response", "trim; the MMMU metric parses the response"},
  };
  return steps;
}

std::string postprocess(std::string_view step, std::string_view raw) {
  if (step == "caption") return std::string(trim(before(before(trim(raw), "Output"), "\n")));
  if (step == "vqa_short") {
    std::string_view text = trim(raw);  // a leading newline is the chat turn's, not the end of the answer
    for (std::string_view marker : {"Question", "Answer", "Short", "\n"}) text = before(text, marker);
    return std::string(trim(before(text, ", ")));
  }
  if (step == "mmmu_response") return std::string(trim(raw));
  throw Error("postprocess", "unknown step '" + std::string(step) + "'");
}

}  // namespace mmh::tasks
