#pragma once
// Captions of a demo Scene, in several wordings (COCO has five per image,
// NoCaps ten, TextCaps five), each naming every shape with its colour and the
// background, or the sign's colour and number.
#include <cstddef>
#include <string>
#include <vector>

#include "harness/demo/demo_random.h"
#include "harness/demo/demo_scene.h"

namespace mmh::demo {

// "a red circle", "an orange square".
std::string with_article(const std::string& phrase);

// "a red circle", "a red circle and a blue square", "a red circle, a blue square and a green triangle";
// with_size: "a large red circle" (under 30% of the shorter image side is small, over 55% large).
std::string shapes_phrase(const Scene& scene, bool with_size = false);
// "small ", "large " or "" (sizes between are not named).
const char* size_word(const Scene& scene, const Shape& shape);

// How many distinct wordings write_captions has: for shape scenes and for signs.
inline constexpr std::size_t kShapeCaptionWordings = 16, kSignCaptionWordings = 7;

// `count` distinct captions in a random order of wordings; count must not exceed the wordings available.
std::vector<std::string> write_captions(const Scene& scene, std::size_t count, DemoRandom& random);

// Lower-case words without punctuation, as the Karpathy file's "tokens".
std::vector<std::string> caption_tokens(const std::string& caption);

}  // namespace mmh::demo
