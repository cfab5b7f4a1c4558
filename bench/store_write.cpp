// Results-store write throughput: samples committed per second in batches,
// with the crash-safe settings a run uses (WAL, synchronous = FULL).
// Usage: bench_store_write [samples] [batch]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "harness/store/results_store.h"

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int batch_size = argc > 2 ? std::atoi(argv[2]) : 32;
  const auto path = std::filesystem::temp_directory_path() / ("mmh-bench-" + std::to_string(getpid()) + ".sqlite");

  double write_seconds = 0, read_seconds = 0;
  {
    auto store = mmh::store::ResultsStore::open(path, mmh::store::ResultsStore::OpenMode::kCreate);
    const auto model = store.add_model({"/models/x", "llava", "sha256:x", "bf16"});
    mmh::store::RunStart run;
    run.harness_version = "bench";
    run.git_revision = "bench";
    run.host = "bench";
    run.device = "cpu";
    const auto eval =
        store.begin_evaluation(store.begin_run(model, run), {"vqav2", "val", 4, 0, "fewshot", "h", total});

    const auto start = std::chrono::steady_clock::now();
    for (int done = 0; done < total;) {
      std::vector<mmh::store::SampleResult> batch;
      for (int i = 0; i < batch_size && done < total; ++i, ++done) {
        mmh::store::SampleResult s;
        s.key = std::to_string(262148000 + done);
        s.demo_keys = {"1", "2", "3", "4"};
        s.prompt_hash = "sha256:0123456789abcdef0123456789abcdef";
        s.raw_output = "two dogs playing in the snow";
        s.prediction = "2";
        s.scores = {{"accuracy", 0.6}};
        s.latency_ms = 35.0;
        batch.push_back(std::move(s));
      }
      store.add_samples(eval, batch);
    }
    write_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto read_start = std::chrono::steady_clock::now();
    const auto rows = store.samples(eval);
    read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - read_start).count();
    if (static_cast<int>(rows.size()) != total) return 1;
  }
  std::printf("store write: %d samples in batches of %d: %.0f samples/s (%.2f ms per committed batch)\n", total,
              batch_size, total / write_seconds, 1e3 * write_seconds / ((total + batch_size - 1) / batch_size));
  std::printf("store read:  %d samples: %.0f samples/s\n", total, total / read_seconds);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return 0;
}
