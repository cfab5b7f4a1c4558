#include "harness/demo/demo_captions.h"

#include <algorithm>
#include <cctype>
#include <numeric>

#include "common/error.h"

namespace mmh::demo {
namespace {

std::string capitalised(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

std::string with_article(const std::string& phrase) {
  return (phrase.find_first_of("aeiou") == 0 ? "an " : "a ") + phrase;
}

namespace {

const char* count_word(std::size_t n) { return n == 1 ? "one" : n == 2 ? "two" : "three"; }

std::string shape_wording(std::size_t index, const Scene& scene) {
  const std::string list = shapes_phrase(scene), sized = shapes_phrase(scene, /*with_size=*/true);
  const std::string bg = scene.background_name();
  const std::size_t n = scene.shapes.size();
  const std::string shapes = n == 1 ? "shape" : "shapes";
  switch (index) {
    case 0: return list + " on a " + bg + " background";
    case 1: return "A " + bg + " background with " + sized + ".";
    case 2: return capitalised(count_word(n)) + " " + shapes + " on " + bg + ": " + list + ".";
    case 3: return "A simple drawing of " + sized + ".";
    case 4: return std::string(n == 1 ? "There is " : "There are ") + list + " on a plain " + bg + " background.";
    case 5: return list + ", drawn on " + bg;
    case 6: return "A picture of " + sized + ".";
    case 7: return capitalised(list) + " against a " + bg + " backdrop.";
    case 8: return n == 1 ? "A single shape: " + sized + "." : "From left to right: " + sized + ".";
    case 9:
      return "An image with " + std::string(count_word(n)) + " " + shapes + " on a " + bg + " background: " + list +
             ".";
    case 10: return capitalised(list) + " on " + bg + ".";
    case 11: return "A graphic showing " + sized + " on " + bg + ".";
    case 12: return capitalised(sized) + (n == 1 ? " placed" : " arranged in a row") + " on a " + bg + " background.";
    case 13: return "Simple geometric art showing " + list + ".";
    case 14: return "Clip art of " + sized + " on a plain " + bg + " canvas.";
    default: return "A flat illustration with " + list + " over a solid " + bg + " color.";
  }
}

std::string sign_wording(std::size_t index, const Scene& scene) {
  const std::string n = std::to_string(scene.number), color = scene.shapes.front().color_name();
  const std::string ink = scene.number_color_name(), bg = scene.background_name();
  switch (index) {
    case 0: return with_article(color) + " sign with the number " + n + " on it";
    case 1: return "The number " + n + " written in " + ink + " on " + with_article(color) + " square.";
    case 2: return capitalised(with_article(color)) + " square showing the number " + n + ".";
    case 3: return "A " + bg + " background with " + with_article(color) + " sign that reads " + n + ".";
    case 4: return "the number " + n + " on " + with_article(color) + " square";
    case 5: return capitalised(with_article(color)) + " sign labelled " + n + " on a " + bg + " background.";
    default: return capitalised(ink) + " text reading " + n + " on " + with_article(color) + " square.";
  }
}

}  // namespace

const char* size_word(const Scene& scene, const Shape& shape) {
  const int percent = 100 * shape.size / std::min(scene.width, scene.height);
  return percent < 30 ? "small " : percent > 55 ? "large " : "";
}

std::string shapes_phrase(const Scene& scene, bool with_size) {
  std::string out;
  for (std::size_t i = 0; i < scene.shapes.size(); ++i) {
    const Shape& shape = scene.shapes[i];
    if (i > 0) out += i + 1 == scene.shapes.size() ? " and " : ", ";
    out += with_article((with_size ? size_word(scene, shape) : "") + std::string(shape.color_name()) + " " +
                        shape.kind_name());
  }
  return out;
}

std::vector<std::string> write_captions(const Scene& scene, std::size_t count, DemoRandom& random) {
  const bool sign = scene.number >= 0;
  const std::size_t wordings = sign ? kSignCaptionWordings : kShapeCaptionWordings;
  if (count > wordings)
    throw Error("demo captions", "asked for " + std::to_string(count) + " captions; there are " +
                                     std::to_string(wordings) + " wordings");
  std::vector<std::size_t> order(wordings);
  std::iota(order.begin(), order.end(), 0);
  random.shuffle(order);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(sign ? sign_wording(order[i], scene) : shape_wording(order[i], scene));
  return out;
}

std::vector<std::string> caption_tokens(const std::string& caption) {
  std::vector<std::string> tokens(1);
  for (unsigned char c : caption) {
    if (std::isalnum(c)) tokens.back() += static_cast<char>(std::tolower(c));
    else if (!tokens.back().empty()) tokens.emplace_back();
  }
  if (tokens.back().empty()) tokens.pop_back();
  return tokens;
}

}  // namespace mmh::demo
