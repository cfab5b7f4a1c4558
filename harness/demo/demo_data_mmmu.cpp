// MMMU as the JSON-lines export of the HF dataset reads (docs/tasks.md):
// dev.jsonl (demonstrations) and validation.jsonl, one record per line with
// the HF columns, `options` as the Python-list string of the dataset, images
// at mmmu/images/<id>_<N>.png.
#include <map>

#include "harness/demo/demo_data_internal.h"

namespace mmh::demo::detail {
namespace {

// Python's repr() of an ASCII str: single quotes unless the text has one and no double quote.
std::string python_repr(const std::string& text) {
  const char quote = text.find('\'') != std::string::npos && text.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, quote);
  for (char c : text) {
    if (c == '\\' || c == quote) out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out + quote;
}

std::string python_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + python_repr(items[i]);
  return out + "]";
}

struct MmmuItem {
  std::string subject, subfield, question;
  std::vector<std::string> options;  // empty: an open question
  std::string answer;                // the letter, or the open answer
  std::vector<Scene> images;         // <image 1>, <image 2>, ...
};

// Four options with the right one among them at a random place; returns its letter.
std::string shuffled_options(std::vector<std::string>& options, const std::string& right, DemoRandom& random) {
  random.shuffle(options);
  for (std::size_t i = 0; i < options.size(); ++i)
    if (options[i] == right) return std::string(1, static_cast<char>('A' + i));
  return {};
}

std::vector<std::string> color_options(const std::string& right, DemoRandom& random) {
  std::vector<std::string> others;
  for (const auto& c : shape_colors())
    if (c.name != right) others.push_back(c.name);
  random.shuffle(others);
  return {right, others[0], others[1], others[2]};
}

// Cycling through the kinds puts every kind, the open question first, in any split of five or more.
MmmuItem make_item(std::size_t index, DemoRandom& random) {
  MmmuItem item;
  Scene scene = draw_scene(random, {});
  const Shape& shape = scene.shapes[random.below(scene.shapes.size())];
  switch (index % 5) {
    case 0:
      item = {"Math", "Arithmetic", "How many shapes are there in <image 1>?", {}, std::to_string(scene.shapes.size()),
              {}};
      break;
    case 1: {
      item = {"Art", "Art Theory", "What is the color of the " + std::string(shape.kind_name()) + " in <image 1>?",
              color_options(shape.color_name(), random), "", {}};
      item.answer = shuffled_options(item.options, shape.color_name(), random);
      break;
    }
    case 2: {
      item = {"Design",
              "Graphic Design",
              "Which is the background color of <image 1>?",
              {"white", "black", "gray", "green"},
              "",
              {}};
      item.answer = shuffled_options(item.options, scene.background_name(), random);
      break;
    }
    case 3: {
      item = {
          "Math", "Geometry", "Which shape is the leftmost one in <image 1>?", {"circle", "square", "triangle", "star"},
          "",     {}};
      item.answer = shuffled_options(item.options, scene.shapes.front().kind_name(), random);
      break;
    }
    default: {
      // Two images with different numbers of shapes.
      Scene second = draw_scene(random, {});
      while (second.shapes.size() == scene.shapes.size()) second = draw_scene(random, {});
      const bool first_more = scene.shapes.size() > second.shapes.size();
      item = {"Math", "Geometry", "Which image shows more shapes: <image 1> or <image 2>?",
              {"The first image", "The second image"}, first_more ? "A" : "B", {}};
      item.images.push_back(scene);
      item.images.push_back(second);
      return item;
    }
  }
  item.images.push_back(scene);
  return item;
}

}  // namespace

void write_mmmu(DemoWriter& out) {
  DemoRandom random = out.random("mmmu");
  for (const auto& [split, count] : {std::pair<std::string, std::size_t>{"dev", out.options().pool},
                                     {"validation", out.options().samples}}) {
    std::string lines;
    std::map<std::string, int> per_subject;  // ids count within a subject: validation_Art_1, validation_Art_2, ...
    for (std::size_t i = 0; i < count; ++i) {
      const MmmuItem item = make_item(i, random);
      const std::string id = split + "_" + item.subject + "_" + std::to_string(++per_subject[item.subject]);
      out.text(item.question);
      out.texts(item.options);
      out.text(item.answer);
      lines += ordered_json({{"id", id},
                             {"question", item.question},
                             {"options", python_list(item.options)},
                             {"answer", item.answer},
                             {"question_type", item.options.empty() ? "open" : "multiple-choice"},
                             {"subfield", item.subfield}})
                   .dump() +
               "\n";
      for (std::size_t n = 0; n < item.images.size(); ++n)
        out.image_file("mmmu/images/" + id + "_" + std::to_string(n + 1) + ".png", item.images[n]);
    }
    out.text_file("mmmu/" + split + ".jsonl", lines);
  }
  out.task_done("mmmu", out.options().samples, out.options().pool);
}

}  // namespace mmh::demo::detail
