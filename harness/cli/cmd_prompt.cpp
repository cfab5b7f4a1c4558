// mmharness prompt: the rendered prompt of one sample, with its demonstrations,
// images and references, exactly as `run` will build it (before the model
// family renders it into tokens).
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "common/error.h"
#include "harness/cli/app.h"
#include "harness/cli/data_options.h"
#include "harness/cli/store_json.h"
#include "prompts/builder.h"
#include "tasks/catalog.h"

namespace mmh::cli {
namespace {

struct PromptCommandOptions {
  std::string task;
  DataOptions data;
  int shots = 0;
  std::string template_id = "fewshot";
  std::string demos = "per-query";
  std::string demo_split;
  std::uint64_t seed = 0;
  bool text_only_shots = false;
  std::size_t limit = 0;
  std::optional<std::size_t> index;
  std::string key;
  bool json = false;
};

const char* role_name(prompts::Role role) {
  switch (role) {
    case prompts::Role::kUser: return "user";
    case prompts::Role::kAssistant: return "assistant";
    case prompts::Role::kNone: break;
  }
  return "";
}

nlohmann::json segments_json(const prompts::Prompt& prompt) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : prompt) {
    nlohmann::json j;
    switch (s.kind) {
      case prompts::Segment::Kind::kText: j["text"] = s.text; break;
      case prompts::Segment::Kind::kImage:
        j["image"] = s.image.path.string();
        j["key"] = s.image.key;
        break;
      case prompts::Segment::Kind::kEndOfChunk:
        j["text"] = "\n";
        j["end_of_chunk"] = true;
        break;
    }
    if (s.role != prompts::Role::kNone) j["role"] = role_name(s.role);
    out.push_back(std::move(j));
  }
  return out;
}

// The eval sample asked for: --key, or --index into the (limited) evaluation list.
std::size_t chosen_sample(const tasks::TaskData& data, const std::vector<std::size_t>& order,
                          const PromptCommandOptions& o) {
  if (!o.key.empty()) {
    for (std::size_t i : order)
      if (data.eval.samples[i].key == o.key) return i;
    throw Error("--key", "no sample " + o.key + " in the " + data.eval.split + " split of " + o.task +
                             (o.limit ? " (within --limit)" : ""));
  }
  const std::size_t index = o.index.value_or(0);
  if (index >= order.size())
    throw Error("--index", std::to_string(index) + " is past the last of the " + std::to_string(order.size()) +
                               " samples");
  return order[index];
}

void print_prompt(const PromptCommandOptions& o) {
  const tasks::TaskInfo* task = tasks::find_task(o.task);
  const prompts::TemplateSet* templates = prompts::find_template_set(o.template_id);
  if (!templates)
    throw Error("--template", "unknown template set '" + o.template_id + "' (known: " +
                                  prompts::known_template_ids() + ")");
  const prompts::PromptOptions options{templates, o.shots, prompts::parse_demo_mode(o.demos), o.seed,
                                       o.text_only_shots};
  const bool need_demos = o.shots > 0 || o.text_only_shots;
  const tasks::TaskData data =
      tasks::load_task(*task, o.data.resolve(), need_demos ? tasks::Splits::kBoth : tasks::Splits::kEvalOnly,
                       o.demo_split);
  const auto order = tasks::limited_subset(data, o.limit ? o.limit : data.eval.samples.size(), o.seed);
  const std::size_t position = chosen_sample(data, order, o);
  const tasks::TaskSample& query = data.eval.samples[position];
  const prompts::BuiltPrompt built = prompts::build_prompt(data, query, options);

  std::vector<std::string> images;
  for (const auto& s : built.prompt) {
    if (s.kind != prompts::Segment::Kind::kImage) continue;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(s.image.path, ec))
      throw Error(s.image.path.string(), "image missing (used by sample " + query.key + " of " + o.task + ")");
    images.push_back(s.image.path.string());
  }

  if (o.json) {
    print_json(std::cout, {{"task", o.task},
                           {"key", query.key},
                           {"split", data.eval.split},
                           {"shots", built.shots},
                           {"template", templates->id},
                           {"template_hash", templates->hash},
                           {"demos", prompts::demo_mode_name(options.demos)},
                           {"seed", o.seed},
                           {"segments", segments_json(built.prompt)},
                           {"demo_keys", built.demo_keys},
                           {"references", query.references},
                           {"max_new_tokens", task->max_new_tokens},
                           {"postprocess", task->postprocess}});
    return;
  }
  std::cout << "task " << o.task << ", sample " << query.key << " (" << data.eval.split << "), " << built.shots
            << "-shot, template " << templates->id << " (" << templates->hash << "), demonstrations "
            << prompts::demo_mode_name(options.demos) << ", seed " << o.seed << "\n";
  if (!built.demo_keys.empty()) {
    std::cout << "demonstrations:";
    for (const auto& k : built.demo_keys) std::cout << " " << k;
    std::cout << "\n";
  }
  std::cout << "images:\n";
  for (std::size_t i = 0; i < images.size(); ++i) std::cout << "  " << i + 1 << ". " << images[i] << "\n";
  std::cout << "references:";
  for (const auto& r : query.references) std::cout << " [" << r << "]";
  std::cout << "\ngeneration: up to " << task->max_new_tokens << " new tokens, then " << task->postprocess
            << "\n\n" << prompts::preview_text(built.prompt) << "\n";
}

}  // namespace

void add_prompt_command(CLI::App& app) {
  auto o = std::make_shared<PromptCommandOptions>();
  auto* cmd = app.add_subcommand("prompt", "Print the rendered prompt of one sample: demonstrations, images, references");
  cmd->add_option("--task", o->task, "Task id: " + tasks::known_task_ids())->required();
  add_data_options(*cmd, o->data, /*required=*/true);
  cmd->add_option("--shots", o->shots, "Demonstrations before the query (0, 4, 8, ...)")
      ->capture_default_str()
      ->check(CLI::Range(0, 64));
  cmd->add_option("--template", o->template_id, "Template set: " + prompts::known_template_ids())
      ->capture_default_str();
  cmd->add_option("--demos", o->demos, "per-query (a draw per sample) or fixed (one draw per trial)")
      ->capture_default_str()
      ->check(CLI::IsMember({"per-query", "fixed"}));
  cmd->add_option("--demo-split", o->demo_split,
                  "Draw demonstrations from this split instead (coco: restval; nocaps: coco:restval, ...)");
  cmd->add_option("--seed", o->seed, "Trial seed (demonstrations and --limit)")->capture_default_str();
  cmd->add_flag("--text-only-shots", o->text_only_shots,
                "Zero-shot: two demonstrations without their images (the Flamingo trick)");
  cmd->add_option("--limit", o->limit, "A seeded random subset of N samples, the same in every run and shard");
  auto* index = cmd->add_option("--index", o->index, "The I-th sample of the evaluated split (default 0)");
  cmd->add_option("--key", o->key, "The sample with this key (question id, image id, MMMU id)")->excludes(index);
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([o] {
    if (!tasks::find_task(o->task))
      throw Error("--task", "unknown task '" + o->task + "' (known: " + tasks::known_task_ids() + ")");
    print_prompt(*o);
  });
}

}  // namespace mmh::cli
