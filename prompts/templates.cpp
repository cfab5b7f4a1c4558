#include "prompts/templates.h"

#include <cstdio>
#include <vector>

#include "tasks/task_data.h"

namespace mmh::prompts {
namespace {

TemplateSet with_hash(TemplateSet t) {
  std::uint64_t h = tasks::stable_hash("mmharness-template-v1");
  for (const std::string* field :
       {&t.id, &t.caption, &t.vqa, &t.multiple_choice, &t.option_line, &t.answer_separator}) {
    h = tasks::stable_hash(*field, h);
    h = tasks::stable_hash("\x1f", h);
  }
  h = tasks::stable_hash(t.chat ? "chat" : "plain", h);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  t.hash = hex;
  return t;
}

}  // namespace

std::span<const TemplateSet> template_sets() {
  // {instruction} is the task's (TaskInfo::instruction); the query is the template up to {answer}.
  static const std::vector<TemplateSet> sets = {
      with_hash({"fewshot", false, "{image}Output:{answer}", "{image}Question: {question} Short answer:{answer}",
                 "{question}\n{options}Answer:{answer}", "{letter}. {option}\n", " ", ""}),
      with_hash({"instruct", true, "{image}\n{instruction}{answer}", "{image}\n{question}\n{instruction}{answer}",
                 "{question}\n{options}{instruction}{answer}", "{letter}. {option}\n", "", ""}),
  };
  return sets;
}

const TemplateSet* find_template_set(std::string_view id) {
  for (const auto& t : template_sets())
    if (t.id == id) return &t;
  return nullptr;
}

std::string known_template_ids() {
  std::string ids;
  for (const auto& t : template_sets()) ids += (ids.empty() ? "" : ", ") + t.id;
  return ids;
}

}  // namespace mmh::prompts
