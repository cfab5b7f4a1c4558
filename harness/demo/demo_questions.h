#pragma once
// Questions about a demo Scene that the image answers, worded per benchmark
// (VQAv2, OK-VQA's bit of outside knowledge, TextVQA's sign, VizWiz's "what
// is this", GQA's typed questions), and the ten answers people would give.
#include <string>
#include <vector>

#include "harness/demo/demo_random.h"
#include "harness/demo/demo_scene.h"

namespace mmh::demo {

struct DemoQuestion {
  std::string question;
  std::string answer;                 // what most people answer
  std::string answer_type;            // VQA's "yes/no", "number", "other" (VizWiz also "unanswerable")
  std::string question_type;          // VQAv2's leading words ("what color is the"); OK-VQA's category ("nine")
  std::vector<std::string> variants;  // what a few people answer instead
};

DemoQuestion ask_vqav2(const Scene& scene, DemoRandom& random);
DemoQuestion ask_okvqa(const Scene& scene, DemoRandom& random);
DemoQuestion ask_textvqa(const Scene& sign, DemoRandom& random);  // a scene with a number
// A dark scene gets "unanswerable", as VizWiz's annotators answer for unusable photos.
DemoQuestion ask_vizwiz(const Scene& scene, DemoRandom& random);

struct GqaQuestion {
  std::string question, answer, full_answer;
  std::string structural, semantic, detailed;  // GQA's "types"
};
GqaQuestion ask_gqa(const Scene& scene, DemoRandom& random);

// Ten answers: the answer, with up to three replaced by variants at random places.
std::vector<std::string> human_answers(const DemoQuestion& question, DemoRandom& random);

// 0 to 10 spelled out ("two"), as some annotators write counts; other numbers as digits.
std::string number_word(int n);

}  // namespace mmh::demo
