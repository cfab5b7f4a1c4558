// Two processes writing one results database at once (two shards on one
// file, or a report reading while a run writes).
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "harness/store/schema.h"
#include "store_fixtures.h"
#include "support/temp_dir.h"

using mmh::store::ResultsStore;

namespace {

constexpr int kBatches = 40;
constexpr int kBatchSize = 5;

// Runs in a forked child: no Catch2 macros here, only an exit code.
int write_run(const std::filesystem::path& path, const std::string& name) {
  try {
    auto store = ResultsStore::open(path, ResultsStore::OpenMode::kCreate);
    const auto run_id = store.begin_run(store.add_model(mmh::test::tiny_model()), mmh::test::tiny_run(name));
    const auto eval_id = store.begin_evaluation(run_id, mmh::test::tiny_evaluation());
    for (int b = 0; b < kBatches; ++b) {
      std::vector<mmh::store::SampleResult> batch;
      for (int i = 0; i < kBatchSize; ++i) batch.push_back(mmh::test::tiny_sample(std::to_string(b * kBatchSize + i)));
      store.add_samples(eval_id, batch);
    }
    store.end_evaluation(eval_id, mmh::store::Status::kCompleted, 1.0);
    store.end_run(run_id, mmh::store::Status::kCompleted);
    return 0;
  } catch (const std::exception& e) {
    fprintf(stderr, "writer %s: %s\n", name.c_str(), e.what());
    return 1;
  }
}

}  // namespace

TEST_CASE("store: two processes create and write the same database concurrently", "[store][concurrency]") {
  mmh::test::TempDir dir;
  const auto path = dir / "shared.sqlite";  // does not exist yet: both race to create and migrate it
  std::vector<pid_t> children;
  for (const char* name : {"writer-a", "writer-b"}) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) _exit(write_run(path, name));
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }

  auto store = ResultsStore::open(path, ResultsStore::OpenMode::kExisting);
  const auto runs = store.list_runs();
  REQUIRE(runs.size() == 2);
  for (const auto& summary : runs) {
    CHECK(summary.status == "completed");
    const auto run = store.find_run(summary.id);
    REQUIRE(run);
    REQUIRE(run->evaluations.size() == 1);
    CHECK(run->evaluations[0].samples_done == kBatches * kBatchSize);
  }
  CHECK(runs[0].name != runs[1].name);
}
