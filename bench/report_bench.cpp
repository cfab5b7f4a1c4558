// Report generation at scale: a synthetic database with RUNS full VQAv2 val
// runs (214,354 samples each, ten answers per sample, breakdowns, images),
// written through ResultsStore, then `mmharness report` in-process with and
// without a baseline. Prints the times and the page size.
// Usage: bench_report [samples per run] [runs] [out dir (kept; default: a temp dir, removed)]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "harness/store/results_store.h"
#include "model_backend/image/image.h"
#include "reports/report.h"

namespace fs = std::filesystem;

namespace {

constexpr int kQuestionsPerImage = 5;  // VQAv2 val: 214k questions on 40k images
constexpr int kDistinctImages = 2500;  // enough distinct files for every row the page can show

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A 640x480 picture with smooth shapes and mild noise (compresses about as badly as a photo thumbnail).
void write_image(const fs::path& path, int seed) {
  mmh::image::Image im{640, 480, std::vector<std::uint8_t>(640 * 480 * 3)};
  std::mt19937 rng(seed);
  const int cx = static_cast<int>(rng() % 640), cy = static_cast<int>(rng() % 480);
  for (int y = 0; y < 480; ++y)
    for (int x = 0; x < 640; ++x) {
      const bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < 120 * 120;
      const int noise = static_cast<int>(rng() % 17) - 8;
      std::uint8_t* p = &im.rgb[(y * 640 + x) * 3];
      p[0] = static_cast<std::uint8_t>(std::clamp((inside ? 200 : x * 255 / 640) + noise, 0, 255));
      p[1] = static_cast<std::uint8_t>(std::clamp((inside ? 60 : y * 255 / 480) + noise, 0, 255));
      p[2] = static_cast<std::uint8_t>(std::clamp((seed * 37) % 255 + noise, 0, 255));
    }
  mmh::image::write_png_file(path, im);
}

std::vector<mmh::store::Metric> metrics_of(double accuracy) {
  std::vector<mmh::store::Metric> m = {{"accuracy", accuracy, accuracy - 0.2, accuracy + 0.2, 214354}};
  for (const char* type : {"number", "other", "yes/no"})
    m.push_back({std::string("accuracy/perAnswerType/") + type, accuracy, {}, {}, 0});
  for (int q = 0; q < 65; ++q)
    m.push_back({"accuracy/perQuestionType/question type " + std::to_string(q), accuracy, {}, {}, 0});
  return m;
}

void build_database(const fs::path& db, const fs::path& images, int samples, int runs) {
  auto store = mmh::store::ResultsStore::open(db, mmh::store::ResultsStore::OpenMode::kCreate);
  const auto model = store.add_model({"/models/llava-1.5-7b", "llava", "xxh64:0123456789abcdef", "bf16"});
  for (int r = 0; r < runs; ++r) {
    mmh::store::RunStart run;
    run.name = "run-" + std::to_string(r);
    run.argv = {"mmharness", "run", "--tasks", "vqav2"};
    run.harness_version = run.git_revision = run.host = "bench";
    run.device = "cuda:0 (bench)";
    run.settings = {{"data", {{"root", images.string()}}}};
    run.fingerprint = "bench-" + std::to_string(r);
    const auto run_id = store.begin_run(model, run);
    const auto eval = store.begin_evaluation(run_id, {"vqav2", "val", 0, 0, "fewshot", "h", samples, "vqa_short"});
    std::mt19937 rng(1234 + r);
    double total = 0;
    constexpr int kBatch = 10000;
    for (int done = 0; done < samples;) {
      std::vector<mmh::store::SampleResult> batch;
      for (int i = 0; i < kBatch && done < samples; ++i, ++done) {
        mmh::store::SampleResult s;
        s.key = std::to_string(262148000 + done);
        s.prompt_hash = "xxh64:0123456789abcdef";
        const int correct = static_cast<int>(rng() % 4);  // matching human answers: 0..3
        s.raw_output = correct ? "two" : "three dogs";
        s.prediction = correct ? "two" : "three";
        const double accuracy = std::min(100.0, correct * 100.0 / 3);
        total += accuracy;
        s.scores = {{"accuracy", accuracy}};
        s.position = done;
        s.ground_truth = {{"references", {"two", "two", "2", "two", "two", "two", "two", "two", "two", "two"}},
                          {"meta", {{"answer_type", "number"}, {"question_type", "how many"}}}};
        const std::string image =
            "val2014/COCO_val2014_" + std::to_string((done / kQuestionsPerImage) % kDistinctImages) + ".png";
        s.query = {{"question", "How many dogs are there?"},
                   {"images", {{{"key", image}, {"path", (images / image).string()}}}}};
        s.demo_keys = {"1", "2", "3", "4"};
        s.response_key = "r" + std::to_string(r) + "-" + s.key;
        batch.push_back(std::move(s));
      }
      store.add_samples(eval, batch);
    }
    store.set_metrics(eval, metrics_of(total / samples));
    store.end_evaluation(eval, mmh::store::Status::kCompleted, 3600);
    store.end_run(run_id, mmh::store::Status::kCompleted);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int samples = argc > 1 ? std::atoi(argv[1]) : 214354;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  const bool keep = argc > 3;
  const fs::path dir =
      keep ? fs::path(argv[3]) : fs::temp_directory_path() / ("mmh-bench-report-" + std::to_string(getpid()));
  fs::create_directories(dir / "images" / "val2014");
  const auto db = dir / "results.sqlite";
  fs::remove(db);

  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kDistinctImages; ++i)
    write_image(dir / "images" / "val2014" / ("COCO_val2014_" + std::to_string(i) + ".png"), i);
  build_database(db, dir / "images", samples, runs);
  std::printf("database: %d runs x %d VQAv2 samples (%.1f MiB) built in %.1f s\n", runs, samples,
              fs::file_size(db) / 1048576.0, seconds_since(start));

  for (const bool baseline : {false, true}) {
    mmh::reports::ReportOptions options;
    options.db = db;
    options.out = dir / (baseline ? "report-baseline.html" : "report.html");
    if (baseline) options.request.baseline = 1;
    const auto s = mmh::reports::write_report(options);
    std::printf("report%s: %zu of %zu samples shown, %zu thumbnails, %.1f MiB page, %.2f s\n",
                baseline ? " --baseline 1" : "", s.samples_shown, s.samples_total, s.images, s.bytes / 1048576.0,
                s.seconds);
  }
  if (!keep) fs::remove_all(dir);
  return 0;
}
