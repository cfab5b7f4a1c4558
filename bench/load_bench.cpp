// Times loading a task at official size through the real commands: VQAv2
// (train 443,757 + val 214,354 questions, ten answers each, in the official
// layout, generated here) with `mmharness tasks --data-root` (both splits
// loaded, every image stat'ed) and `mmharness prompt --shots 8` (both splits
// loaded, one 8-shot prompt built). The generated data has no image files, so
// both commands end by reporting the first missing image (exit 2), as they would.
// Usage: bench_load [path/to/mmharness] [repeats]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "command_timer.h"

namespace fs = std::filesystem;

namespace {

const char* kAnswers[] = {"yes", "no", "2", "white", "red", "dog", "tennis", "3", "blue", "kitchen"};

// questions and annotations of one split, written as the official files are laid out.
void write_split(const fs::path& dir, const char* split, int questions) {
  const std::string q = (dir / ("vqav2/v2_OpenEnded_mscoco_" + std::string(split) + "2014_questions.json")).string();
  const std::string a = (dir / ("vqav2/v2_mscoco_" + std::string(split) + "2014_annotations.json")).string();
  FILE* fq = std::fopen(q.c_str(), "w");
  FILE* fa = std::fopen(a.c_str(), "w");
  std::fprintf(fq, "{\"info\": {}, \"task_type\": \"Open-Ended\", \"data_subtype\": \"%s2014\", \"questions\": [", split);
  std::fprintf(fa, "{\"info\": {}, \"data_subtype\": \"%s2014\", \"annotations\": [", split);
  for (int i = 0; i < questions; ++i) {
    const int image = 1 + i / 5, qid = image * 1000 + i % 5;
    std::fprintf(fq, "%s{\"image_id\": %d, \"question\": \"What color is the object number %d?\", \"question_id\": %d}",
                 i ? ", " : "", image, i, qid);
    std::fprintf(fa, "%s{\"question_type\": \"what color is the\", \"multiple_choice_answer\": \"%s\", \"answers\": [",
                 i ? ", " : "", kAnswers[i % 10]);
    for (int k = 0; k < 10; ++k)
      std::fprintf(fa, "%s{\"answer\": \"%s\", \"answer_confidence\": \"yes\", \"answer_id\": %d}", k ? ", " : "",
                   kAnswers[(i + (k % 3 == 0)) % 10], k + 1);
    std::fprintf(fa, "], \"image_id\": %d, \"answer_type\": \"other\", \"question_id\": %d}", image, qid);
  }
  std::fputs("]}", fq);
  std::fputs("]}", fa);
  std::fclose(fq);
  std::fclose(fa);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path binary = argc > 1 ? fs::path(argv[1]) : fs::path(argv[0]).parent_path().parent_path() / "mmharness";
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  const fs::path root = fs::temp_directory_path() / ("mmh-load-bench-" + std::to_string(getpid()));
  fs::create_directories(root / "vqav2");
  fs::create_directories(root / "coco/train2014");
  fs::create_directories(root / "coco/val2014");
  write_split(root, "train", 443757);
  write_split(root, "val", 214354);
  std::printf("VQAv2 at official size (658,111 questions, %.0f MB of annotations and questions), median of %d runs\n",
              static_cast<double>(fs::file_size(root / "vqav2/v2_mscoco_train2014_annotations.json") +
                                  fs::file_size(root / "vqav2/v2_mscoco_val2014_annotations.json") +
                                  fs::file_size(root / "vqav2/v2_OpenEnded_mscoco_train2014_questions.json") +
                                  fs::file_size(root / "vqav2/v2_OpenEnded_mscoco_val2014_questions.json")) / 1e6,
              repeats);
  const std::string data = " --data-root " + root.string() + " >/dev/null 2>&1";
  std::printf("  tasks --data-root (load both splits, stat 131,623 images):   %.2f s\n",
              mmh::bench::median_seconds(binary.string() + " tasks --tasks vqav2" + data, repeats, 2));
  std::printf("  prompt --shots 8 (load both splits, build one prompt):       %.2f s\n",
              mmh::bench::median_seconds(binary.string() + " prompt --task vqav2 --shots 8" + data, repeats, 2));
  fs::remove_all(root);
  return 0;
}
