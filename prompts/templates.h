#pragma once
// Template sets: how a task's samples are worded as demonstrations and as the
// query. Each set has an id and a content hash (stored with every evaluation,
// so a changed wording never passes for the old one).
//
// fewshot (default, pre-trained models; the Flamingo / MM1 layout):
//   captions  <image>Output: {caption}
//   VQA       <image>Question: {question} Short answer: {answer}
//   MMMU      {question with images}\nA. ...\nB. ...\nAnswer: {letter}
//   demonstrations end with an end-of-chunk segment; the query's answer is left open.
// instruct (chat models): one user turn per sample with the task's instruction
//   (TaskInfo::instruction), the answer as the assistant turn; the family wraps
//   the turns in its chat template.
#include <span>
#include <string>
#include <string_view>

namespace mmh::prompts {

struct TemplateSet {
  std::string id;
  bool chat = false;  // user / assistant turns instead of plain text
  std::string caption;   // "{image}" and "{answer}" placeholders
  std::string vqa;       // "{image}", "{question}", "{answer}"
  std::string multiple_choice;  // "{question}" (images interleaved), "{options}", "{answer}"
  std::string option_line;      // "{letter}. {option}\n"
  // What separates the query part from the answer in a demonstration (" " for fewshot).
  std::string answer_separator;
  std::string hash;  // hex digest of every field above
};

std::span<const TemplateSet> template_sets();
const TemplateSet* find_template_set(std::string_view id);  // nullptr when unknown
std::string known_template_ids();

}  // namespace mmh::prompts
