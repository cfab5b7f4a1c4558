// Times the whole `mmharness score` command (read files, score, 1,000-resample
// bootstrap, print) on generated sets of official size and format:
// COCO Karpathy test (5,000 images x 5 references; BLEU, ROUGE-L, CIDEr-D) and
// VQAv2 val (200,000 questions x 10 answers), plus half-size sets to show the
// cost grows linearly.
// Usage: bench_score [path/to/mmharness] [repeats]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "command_timer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string> kAdjectives = {"small", "large", "red",  "white", "black", "young", "old",    "wooden",
                                              "green", "blue",  "busy", "empty", "tall",  "brown", "yellow", "little"};
const std::vector<std::string> kNouns = {"man",       "woman", "dog",    "cat",   "bus",      "train",
                                         "plate",     "table", "street", "field", "kitchen",  "giraffe",
                                         "surfboard", "pizza", "bench",  "horse", "building", "child",
                                         "boat",      "bird",  "car",    "clock", "laptop",   "bed"};
const std::vector<std::string> kVerbs = {"sitting on", "standing next to", "riding", "walking down", "holding",
                                         "looking at", "parked near",      "eating", "lying on",     "flying over"};

std::string caption(std::mt19937& rng) {
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  std::string s = "A " + pick(kAdjectives) + " " + pick(kNouns) + " " + pick(kVerbs) + " a " + pick(kAdjectives) + " " +
                  pick(kNouns);
  if (rng() % 3 == 0) s += " in the " + pick(kNouns);
  return s + (rng() % 2 ? "." : "");
}

void write(const fs::path& path, const json& value) { std::ofstream(path) << value.dump(); }

// COCO-format ground truth and results for `images` images.
void make_captions(const fs::path& dir, int images) {
  std::mt19937 rng(1234);
  json imgs = json::array(), anns = json::array(), results = json::array();
  for (int i = 0; i < images; ++i) {
    imgs.push_back({{"id", 100000 + i}});
    for (int r = 0; r < 5; ++r)
      anns.push_back({{"image_id", 100000 + i}, {"id", i * 5 + r}, {"caption", caption(rng)}});
    results.push_back({{"image_id", 100000 + i}, {"caption", caption(rng)}});
  }
  write(dir / "captions_gt.json", {{"images", imgs}, {"annotations", anns}});
  write(dir / "captions_results.json", results);
}

// VQA-format questions, annotations and results for `n` questions.
void make_vqa(const fs::path& dir, int n) {
  std::mt19937 rng(99);
  const std::vector<std::string> answers = {"yes", "no",     "2",       "two",  "red",     "white",
                                            "dog", "tennis", "3",       "blue", "kitchen", "pizza",
                                            "1",   "black",  "frisbee", "left", "surfing", "green"};
  const std::vector<std::string> types = {"yes/no", "number", "other"};
  const std::vector<std::string> qtypes = {"is the", "how many", "what color is the", "what is the", "are there"};
  json qs = json::array(), anns = json::array(), results = json::array();
  for (int i = 0; i < n; ++i) {
    const int qid = 262148000 + i;
    json list = json::array();
    const auto& common = answers[rng() % answers.size()];
    for (int a = 0; a < 10; ++a)
      list.push_back({{"answer", rng() % 4 ? common : answers[rng() % answers.size()]},
                      {"answer_confidence", "yes"},
                      {"answer_id", a + 1}});
    qs.push_back({{"question_id", qid}, {"image_id", i / 5}, {"question", "What is it?"}});
    anns.push_back({{"question_id", qid},
                    {"image_id", i / 5},
                    {"question_type", qtypes[rng() % qtypes.size()]},
                    {"answer_type", types[rng() % types.size()]},
                    {"multiple_choice_answer", common},
                    {"answers", list}});
    results.push_back({{"question_id", qid}, {"answer", rng() % 2 ? common : answers[rng() % answers.size()]}});
  }
  write(dir / "vqa_questions.json", {{"questions", qs}});
  write(dir / "vqa_annotations.json", {{"annotations", anns}});
  write(dir / "vqa_results.json", results);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path binary = argc > 1 ? fs::path(argv[1]) : fs::path(argv[0]).parent_path().parent_path() / "mmharness";
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const fs::path root = fs::temp_directory_path() / ("mmh-score-bench-" + std::to_string(getpid()));

  std::printf("mmharness score, whole command (read, score, 1,000-resample bootstrap), median of %d runs\n", repeats);
  for (int images : {2500, 5000}) {
    const auto dir = root / ("captions" + std::to_string(images));
    fs::create_directories(dir);
    make_captions(dir, images);
    const double t =
        mmh::bench::median_seconds(binary.string() + " score --task coco --annotations " + (dir / "captions_gt.json").string() +
                           " --predictions " + (dir / "captions_results.json").string() + " >/dev/null",
                       repeats);
    std::printf("  captions %5d images x 5 refs (BLEU, ROUGE-L, CIDEr-D): %.3f s\n", images, t);
  }
  for (int questions : {100000, 200000}) {
    const auto dir = root / ("vqa" + std::to_string(questions));
    fs::create_directories(dir);
    make_vqa(dir, questions);
    const double t =
        mmh::bench::median_seconds(binary.string() + " score --task vqav2 --annotations " + (dir / "vqa_questions.json").string() +
                           " --annotations " + (dir / "vqa_annotations.json").string() + " --predictions " +
                           (dir / "vqa_results.json").string() + " >/dev/null",
                       repeats);
    std::printf("  VQAv2 %6d questions x 10 answers: %.3f s\n", questions, t);
  }
  fs::remove_all(root);
  return 0;
}
