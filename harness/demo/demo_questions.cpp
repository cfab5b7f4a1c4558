#include "harness/demo/demo_questions.h"

#include <algorithm>

#include "harness/demo/demo_captions.h"

namespace mmh::demo {
namespace {

std::vector<std::string> color_variants(const std::string& color) {
  return {"dark " + color, "light " + color, color == "red" ? "orange" : color == "blue" ? "purple" : "red"};
}

std::vector<std::string> shape_variants(ShapeKind kind) {
  switch (kind) {
    case ShapeKind::kCircle: return {"round", "oval", "ball"};
    case ShapeKind::kSquare: return {"rectangle", "box", "block"};
    case ShapeKind::kTriangle: return {"pyramid", "arrow", "cone"};
  }
  return {};
}

std::vector<std::string> number_variants(int n) { return {number_word(n), std::to_string(n + 1)}; }

std::string yes_no(bool yes) { return yes ? "yes" : "no"; }

DemoQuestion yes_no_question(std::string question, bool yes, std::string question_type) {
  return {std::move(question), yes_no(yes), "yes/no", std::move(question_type), {yes_no(!yes)}};
}

const Shape& any_shape(const Scene& scene, DemoRandom& random) {
  return scene.shapes[random.below(scene.shapes.size())];
}

ShapeKind any_kind(DemoRandom& random) { return static_cast<ShapeKind>(random.below(kShapeKinds)); }

std::string other_color(const std::string& color, DemoRandom& random) {
  for (;;) {
    const std::string c = shape_colors()[random.below(shape_colors().size())].name;
    if (c != color) return c;
  }
}

// A fruit of the shape's colour: the outside knowledge OK-VQA asks for.
std::string fruit_of(const std::string& color) {
  if (color == "red") return "apple";
  if (color == "green") return "lime";
  if (color == "blue") return "blueberry";
  if (color == "yellow") return "banana";
  if (color == "orange") return "orange";
  if (color == "pink") return "peach";
  if (color == "brown") return "coconut";
  return "grape";
}

}  // namespace

std::string number_word(int n) {
  static const char* words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
  return n >= 0 && n <= 10 ? words[n] : std::to_string(n);
}

DemoQuestion ask_vqav2(const Scene& scene, DemoRandom& random) {
  const Shape& shape = any_shape(scene, random);
  switch (random.below(8)) {
    case 0:
      return {"What color is the " + std::string(shape.kind_name()) + "?", shape.color_name(), "other",
              "what color is the", color_variants(shape.color_name())};
    case 6: {
      const ShapeKind kind = any_kind(random);
      const int n = scene.has(kind) ? 1 : 0;
      return {"How many " + std::string(shape_name(kind)) + "s are there?", std::to_string(n), "number", "how many",
              number_variants(n)};
    }
    case 7:
      return {"What is the " + std::string(shape.color_name()) + " object?", shape.kind_name(), "other", "what is the",
              shape_variants(shape.kind)};
    case 1: {
      const int n = static_cast<int>(scene.shapes.size());
      return {"How many shapes are there?", std::to_string(n), "number", "how many", number_variants(n)};
    }
    case 2: {
      const ShapeKind kind = any_kind(random);
      return yes_no_question("Is there a " + std::string(shape_name(kind)) + "?", scene.has(kind), "is there a");
    }
    case 3: {
      const bool truthful = random.chance(50);
      const std::string color = truthful ? shape.color_name() : other_color(shape.color_name(), random);
      return yes_no_question("Is the " + std::string(shape.kind_name()) + " " + color + "?", truthful, "is the");
    }
    case 4:
      return {"What color is the background?", scene.background_name(), "other", "what color is the",
              {std::string("light ") + scene.background_name(), "dark"}};
    default:
      if (scene.shapes.size() < 2)
        return {"What shape is this?", shape.kind_name(), "other", "what", shape_variants(shape.kind)};
      return {"What shape is on the left?", scene.shapes.front().kind_name(), "other", "what",
              shape_variants(scene.shapes.front().kind)};
  }
}

DemoQuestion ask_okvqa(const Scene& scene, DemoRandom& random) {
  const Shape& shape = any_shape(scene, random);
  const std::string kind = shape.kind_name();
  switch (random.below(4)) {
    case 0: {
      const int sides = shape_sides(shape.kind);
      return {"How many sides does the " + kind + " have?", std::to_string(sides), "other", "nine",
              sides ? std::vector<std::string>{number_word(sides)} : std::vector<std::string>{"none", "1"}};
    }
    case 1:
      return {"What is the name of the " + std::string(shape.color_name()) + " shape?", kind, "other", "nine",
              shape_variants(shape.kind)};
    case 2:
      return {"What fruit has the same color as the " + kind + "?", fruit_of(shape.color_name()), "other", "five",
              {fruit_of(other_color(shape.color_name(), random))}};
    default:
      if (const Shape* triangle = scene.find(ShapeKind::kTriangle))
        return {"Which shape in this picture has three sides?", triangle->kind_name(), "other", "nine", {"pyramid"}};
      return {"What is the name of a shape with no corners?", "circle", "other", "nine", {"oval", "round"}};
  }
}

DemoQuestion ask_textvqa(const Scene& sign, DemoRandom& random) {
  const std::string n = std::to_string(sign.number), color = sign.shapes.front().color_name();
  // A misread (reversed digits) is the typical OCR slip among the ten answers.
  std::string misread(n.rbegin(), n.rend());
  if (misread == n) misread = std::to_string(sign.number + 1);
  switch (random.below(5)) {
    case 0: return {"What number is written on the sign?", n, "number", "what number is", {"number " + n, misread}};
    case 1: return {"What number is shown?", n, "number", "what number is", {misread}};
    case 2: return {"What does the sign say?", n, "other", "what does the", {"number " + n, misread}};
    case 3: return {"What color is the sign?", color, "other", "what color is the", color_variants(color)};
    default:
      return {"What color is the number?", sign.number_color_name(), "other", "what color is the",
              {std::string(sign.number_color_name()) == "black" ? "dark" : "light"}};
  }
}

DemoQuestion ask_vizwiz(const Scene& scene, DemoRandom& random) {
  const Shape& shape = any_shape(scene, random);
  DemoQuestion q;
  static const char* color_questions[] = {"What color is this?", "Can you tell me what color this is?",
                                          "What is the color of this object?"};
  static const char* what_questions[] = {"What is this?", "What's in this picture?", "Please tell me what this is."};
  switch (random.below(4)) {
    case 0:
      q = {color_questions[random.below(3)], shape.color_name(), "other", "", color_variants(shape.color_name())};
      break;
    case 1: q = {"What shape is this?", shape.kind_name(), "other", "", shape_variants(shape.kind)}; break;
    case 2:
      q = {what_questions[random.below(3)], std::string(shape.color_name()) + " " + shape.kind_name(), "other", "",
           {shape.kind_name(), with_article(std::string(shape.color_name()) + " " + shape.kind_name())}};
      break;
    default: {
      const ShapeKind kind = any_kind(random);
      q = yes_no_question("Is this a " + std::string(shape_name(kind)) + "?", scene.has(kind), "");
    }
  }
  if (scene.dark) q = {q.question, "unanswerable", "unanswerable", "", {"unsuitable", "too dark"}};
  return q;
}

GqaQuestion ask_gqa(const Scene& scene, DemoRandom& random) {
  const Shape& shape = any_shape(scene, random);
  const std::string kind = shape.kind_name(), color = shape.color_name();
  const unsigned choice = static_cast<unsigned>(random.below(scene.shapes.size() >= 2 ? 8 : 4));
  switch (choice) {
    case 6:
    case 7: {  // the first or the last shape: on the left or on the right
      const bool left = random.chance(50);
      const std::string name = (left ? scene.shapes.front() : scene.shapes.back()).kind_name();
      const std::string side = left ? "left" : "right";
      if (choice == 6)
        return {"On which side is the " + name + "?", side, "The " + name + " is on the " + side + " of the image.",
                "query", "attr", "positionQuery"};
      return {"Is the " + name + " on the left or on the right?", side,
              "The " + name + " is on the " + side + " of the image.", "choose", "attr", "positionChoose"};
    }
    case 0: {
      const bool truthful = random.chance(50);
      const std::string asked = truthful ? color : other_color(color, random);
      return {"Is the " + kind + " " + asked + "?", yes_no(truthful),
              truthful ? "Yes, the " + kind + " is " + color + "." : "No, the " + kind + " is " + color + ".",
              "verify", "attr", "verifyAttr"};
    }
    case 1:
      return {"What color is the " + kind + "?", color, "The " + kind + " is " + color + ".", "query", "attr",
              "queryAttr"};
    case 2: {
      const ShapeKind asked = any_kind(random);
      const bool present = scene.has(asked);
      const std::string name = shape_name(asked);
      return {"Is there a " + name + " in the image?", yes_no(present),
              present ? "Yes, there is a " + name + "." : "No, there is no " + name + ".", "verify", "obj", "exist"};
    }
    case 3: {
      const std::string wrong = other_color(color, random);
      const bool first = random.chance(50);
      return {"Is the " + kind + " " + (first ? color + " or " + wrong : wrong + " or " + color) + "?", color,
              "The " + kind + " is " + color + ".", "choose", "attr", "chooseAttr"};
    }
    case 4: {
      const std::size_t a = random.below(scene.shapes.size() - 1),
                        b = a + 1 + random.below(scene.shapes.size() - a - 1);
      const bool ask_left = random.chance(50);
      const Shape& subject = scene.shapes[ask_left ? a : b];
      const Shape& object = scene.shapes[ask_left ? b : a];
      return {"Is the " + std::string(subject.kind_name()) + " to the left of the " + object.kind_name() + "?",
              yes_no(ask_left),
              std::string(ask_left ? "Yes" : "No") + ", the " + subject.kind_name() + " is to the " +
                  (ask_left ? "left" : "right") + " of the " + object.kind_name() + ".",
              "verify", "rel", "relVerify"};
    }
    default: {
      const std::size_t i = 1 + random.below(scene.shapes.size() - 1);
      const std::string left = scene.shapes[i - 1].kind_name(), right = scene.shapes[i].kind_name();
      return {"Which shape is to the left of the " + right + "?", left,
              "The " + left + " is to the left of the " + right + ".", "query", "rel", "relS"};
    }
  }
}

std::vector<std::string> human_answers(const DemoQuestion& question, DemoRandom& random) {
  std::vector<std::string> answers(10, question.answer);
  if (question.variants.empty()) return answers;
  const int others = random.between(0, 3);
  for (int i = 0; i < others; ++i) answers[random.below(answers.size())] = random.pick(question.variants);
  return answers;
}

}  // namespace mmh::demo
