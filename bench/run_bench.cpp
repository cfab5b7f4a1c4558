// `mmharness run` end to end on the demo (nine tasks, 0 and 4 shots, the
// small random-weight model, CPU): a fresh run, the same run served from the
// response cache (what a re-score after a post-processing change costs), and
// the checkpoint digest's hashing speed.
//
//   bench_run MMHARNESS WORKDIR [SAMPLES_PER_TASK]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "command_timer.h"
#include "common/content_hash.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_run MMHARNESS WORKDIR [SAMPLES_PER_TASK]\n");
    return 2;
  }
  const std::string mmh = argv[1];
  const fs::path work = argv[2];
  const int samples = argc > 3 ? std::atoi(argv[3]) : 12;
  fs::create_directories(work);
  const fs::path demo = work / ("demo-" + std::to_string(samples));
  const std::string setup = mmh + " demo-setup --out " + demo.string() + " --samples " + std::to_string(samples) +
                            " >/dev/null";
  mmh::bench::median_seconds(setup, 1);
  const fs::path db = work / "bench_run.sqlite";
  fs::remove(db);
  const std::string run = mmh + " run --model " + (demo / "model").string() + " --data-root " + (demo / "data").string() +
                          " --tasks all --shots 0,4 --quiet --db " + db.string();
  const double fresh = mmh::bench::median_seconds(run + " --no-cache >/dev/null", 1);
  const double cached = mmh::bench::median_seconds(run + " >/dev/null", 3);
  const int total = samples * 9 * 2;
  std::printf("run, demo model, 9 tasks x {0,4} shots, %d samples: %.2f s generated (%.1f samples/s), "
              "%.2f s from the response cache (median of 3)\n",
              total, fresh, total / fresh, cached);

  // Checkpoint digest speed: a 1 GiB file, hashed twice (the second from the page cache).
  const fs::path big = work / "hash_1gib.bin";
  {
    std::vector<char> block(1 << 20);
    for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>(i * 131 + 7);
    std::ofstream out(big, std::ios::binary);
    for (int i = 0; i < 1024; ++i) out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  mmh::hash_file(big);
  const auto start = std::chrono::steady_clock::now();
  const auto digest = mmh::hash_file(big);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("checkpoint digest (XXH64, all cores): 1 GiB in %.3f s = %.2f GB/s (%s)\n", seconds,
              1.073741824 / seconds, mmh::hex64(digest).c_str());
  fs::remove(big);
  return 0;
}
