#include "prompts/builder.h"

#include "common/error.h"
#include "tasks/image_placeholder.h"

namespace mmh::prompts {
namespace {

using tasks::PromptKind;
using tasks::TaskSample;

const std::string& template_for(const TemplateSet& t, PromptKind kind) {
  switch (kind) {
    case PromptKind::kCaption: return t.caption;
    case PromptKind::kVqa: return t.vqa;
    case PromptKind::kMultipleChoice: break;
  }
  return t.multiple_choice;
}

ImageRef image_ref(const tasks::ImageFile& image) { return {image.key, image.path}; }

class Renderer {
 public:
  Renderer(const tasks::TaskInfo& task, const TemplateSet& templates, Prompt& out)
      : task_(task), templates_(templates), out_(out) {}

  // One sample: the template up to {answer}; then, for a demonstration, its answer and an end of chunk.
  void sample(const TaskSample& s, bool demonstration, bool with_images) {
    const std::string& text = template_for(templates_, task_.prompt);
    const Role user = templates_.chat ? Role::kUser : Role::kNone;
    std::size_t at = 0;
    while (at < text.size()) {
      const auto open = text.find('{', at);
      if (open == std::string::npos) {
        literal(text.substr(at), user);
        break;
      }
      literal(text.substr(at, open - at), user);
      const auto close = text.find('}', open);
      const std::string_view name(text.data() + open + 1, close - open - 1);
      at = close + 1;
      if (name == "image") {
        if (with_images)
          for (const auto& image : s.images) push_image(image, user);
      } else if (name == "question") {
        with_placeholders(s.question, s, user, with_images);
      } else if (name == "options") {
        options(s, user, with_images);
      } else if (name == "instruction") {
        literal(s.options.empty() && !task_.open_instruction.empty() ? task_.open_instruction : task_.instruction,
                user);
      } else if (name == "answer") {
        if (!demonstration) return;
        const Role assistant = templates_.chat ? Role::kAssistant : Role::kNone;
        literal(templates_.answer_separator + s.demo_answer, assistant);
        // The rest of the template after {answer} (none today) belongs to the demonstration.
        literal(text.substr(at), user);
        out_.push_back({Segment::Kind::kEndOfChunk, "", {}, templates_.chat ? Role::kAssistant : Role::kNone});
        return;
      }
    }
  }

 private:
  void literal(std::string_view text, Role role) {
    if (text.empty()) return;
    if (!out_.empty() && out_.back().kind == Segment::Kind::kText && out_.back().role == role) {
      out_.back().text += text;
    } else {
      out_.push_back({Segment::Kind::kText, std::string(text), {}, role});
    }
  }

  void push_image(const tasks::ImageFile& image, Role role) {
    out_.push_back({Segment::Kind::kImage, "", image_ref(image), role});
  }

  // MMMU text: each "<image N>" becomes image N where it stands; one without its image stays text.
  void with_placeholders(std::string_view text, const TaskSample& s, Role role, bool with_images) {
    std::size_t at = 0;
    for (auto p = tasks::next_image_placeholder(text); p; p = tasks::next_image_placeholder(text, p->at + p->length)) {
      const auto n = static_cast<std::size_t>(p->number);
      if (n == 0 || n > s.images.size()) continue;
      literal(text.substr(at, p->at - at), role);
      if (with_images) push_image(s.images[n - 1], role);
      at = p->at + p->length;
    }
    literal(text.substr(at), role);
  }

  void options(const TaskSample& s, Role role, bool with_images) {
    for (std::size_t i = 0; i < s.options.size(); ++i) {
      const std::string letter(1, static_cast<char>('A' + i));
      const std::string& line = templates_.option_line;  // "{letter}. {option}\n"
      const auto option_at = line.find("{option}");
      std::string head = line.substr(0, option_at);
      if (const auto l = head.find("{letter}"); l != std::string::npos) head.replace(l, 8, letter);
      literal(head, role);
      with_placeholders(s.options[i], s, role, with_images);
      literal(line.substr(option_at + 8), role);
    }
  }

  const tasks::TaskInfo& task_;
  const TemplateSet& templates_;
  Prompt& out_;
};

}  // namespace

BuiltPrompt render_prompt(const tasks::TaskData& data, const TaskSample& query, std::span<const std::size_t> demos,
                          const PromptOptions& options) {
  if (!options.templates) throw Error("--template", "no template set chosen");
  if (data.task->prompt == PromptKind::kMultipleChoice && query.options.size() > 26)
    throw Error(query.key, "has more than 26 options");
  BuiltPrompt built;
  Renderer renderer(*data.task, *options.templates, built.prompt);
  const bool text_only = options.text_only_shots && options.shots == 0;
  for (std::size_t i : demos) {
    renderer.sample(data.demos.samples[i], /*demonstration=*/true, /*with_images=*/!text_only);
    built.demo_keys.push_back(data.demos.samples[i].key);
  }
  renderer.sample(query, /*demonstration=*/false, /*with_images=*/true);
  built.shots = text_only ? 0 : static_cast<int>(demos.size());
  return built;
}

namespace {

// The demonstrations options ask for: `shots` of them, or the two text-only ones of the zero-shot trick.
std::vector<std::size_t> draw_demos(const tasks::TaskData& data, const TaskSample& query, const PromptOptions& options) {
  const int draws = options.shots == 0 && options.text_only_shots ? 2 : options.shots;
  return pick_demos(data, query, draws, options.seed, options.demos);
}

}  // namespace

BuiltPrompt build_prompt(const tasks::TaskData& data, const TaskSample& query, const PromptOptions& options) {
  return render_prompt(data, query, draw_demos(data, query, options), options);
}

std::size_t count_tokens(const Prompt& prompt, const TokenCounter& counter) {
  std::size_t total = 0;
  for (const Segment& s : prompt) {
    switch (s.kind) {
      case Segment::Kind::kText: total += counter.text(s.text); break;
      case Segment::Kind::kImage: total += counter.image; break;
      case Segment::Kind::kEndOfChunk: total += counter.end_of_chunk; break;
    }
  }
  return total;
}

BuiltPrompt build_prompt_within(const tasks::TaskData& data, const TaskSample& query, const PromptOptions& options,
                                const TokenCounter& counter, std::size_t budget, bool truncate_demos) {
  const auto demos = draw_demos(data, query, options);
  BuiltPrompt built = render_prompt(data, query, demos, options);
  std::size_t tokens = count_tokens(built.prompt, counter);
  if (tokens <= budget) return built;
  if (!truncate_demos)
    throw Error("sample " + query.key, "its " + std::to_string(options.shots) + "-shot prompt needs about " +
                                           std::to_string(tokens) + " tokens, more than the " +
                                           std::to_string(budget) +
                                           " the model's context leaves (use --truncate-demos or fewer shots)");
  for (std::size_t keep = demos.size(); keep-- > 0;) {
    const std::span<const std::size_t> kept(demos.data() + (demos.size() - keep), keep);
    built = render_prompt(data, query, kept, options);
    tokens = count_tokens(built.prompt, counter);
    if (tokens <= budget) return built;
  }
  throw Error("sample " + query.key, "even without demonstrations its prompt needs about " + std::to_string(tokens) +
                                         " tokens, more than the " + std::to_string(budget) +
                                         " the model's context leaves");
}

}  // namespace mmh::prompts
