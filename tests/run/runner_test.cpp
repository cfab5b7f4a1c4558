// The runner with a fake model: out-of-memory recovery, failing images,
// resume after an interruption, and what it stores.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "common/error.h"
#include "harness/store/sqlite.h"
#include "harness/run/runner.h"
#include "support/task_fixtures.h"
#include "support/temp_dir.h"
#include "tasks/catalog.h"

namespace fs = std::filesystem;
using mmh::backend::GenerateOptions;
using mmh::backend::Generation;
using mmh::backend::GenerationRequest;

namespace {

// Answers "cat" to everything; runs out of memory above `memory_for` prompts per
// batch; fails any request with an image named like `bad_image`.
class FakeModel : public mmh::backend::Model {
 public:
  int memory_for = 1000;
  std::string bad_image = "<none>";
  std::vector<int> batch_sizes_seen;
  std::size_t generated = 0;

  FakeModel() {
    info_.family = "fake";
    info_.path = "/fake";
    info_.device = "cpu";
    info_.dtype = "fp32";
    info_.context_length = 100000;
    info_.image_features_per_image = 4;
  }
  const mmh::backend::ModelInfo& info() const override { return info_; }
  const mmh::tokenizer::Tokenizer& tokenizer() const override { throw mmh::Error("fake model has no tokenizer"); }
  GenerationRequest render(const mmh::prompts::Prompt& prompt) const override {
    GenerationRequest r;
    for (const auto& s : prompt) {
      if (s.kind == mmh::prompts::Segment::Kind::kImage) {
        r.text += "<image>";
        r.images.push_back(s.image.path);
      } else {
        r.text += s.kind == mmh::prompts::Segment::Kind::kText ? s.text : "\n";
      }
    }
    return r;
  }
  int expanded_length(const GenerationRequest& r) const override {
    return static_cast<int>(r.text.size() + 4 * r.images.size());
  }
  std::vector<Generation> generate(const std::vector<GenerationRequest>& requests,
                                   const GenerateOptions& options) override {
    batch_sizes_seen.push_back(options.batch_size);
    if (std::min<int>(options.batch_size, static_cast<int>(requests.size())) > memory_for)
      throw mmh::OutOfMemoryError("fake device out of memory");
    for (const auto& r : requests)
      for (const auto& image : r.images)
        if (image.filename().string().find(bad_image) != std::string::npos)
          throw mmh::Error(image.string(), "corrupt image");
    std::vector<Generation> out(requests.size());
    for (auto& g : out) {
      g.text = " cat\nQuestion: more";
      g.stop_reason = "length";
      g.generated_ids = {1, 2, 3};
    }
    generated += requests.size();
    return out;
  }
  mmh::backend::ImageFeatures image_features(const fs::path&) override { return {}; }
  mmh::backend::CacheStats cache_stats() const override { return {}; }

 private:
  mmh::backend::ModelInfo info_;
};

struct Setup {
  mmh::test::TempDir dir;
  FakeModel model;
  mmh::run::RunOptions options;
  mmh::run::RunInputs inputs;
  explicit Setup(const std::string& task = "vqav2", std::vector<int> shots = {0, 4}) {
    mmh::test::write_task_fixtures(dir.path());
    options.model_dir = "/fake";
    options.tasks = {task};
    options.shots = std::move(shots);
    options.batch_size = 4;
    options.progress = mmh::run::Progress::Mode::kQuiet;
    options.bootstrap = 50;
    options.argv = {"mmharness", "run"};
    inputs.data.push_back(mmh::tasks::load_task(*mmh::tasks::find_task(task), mmh::tasks::DataRoot(dir.path())));
    inputs.model = &model;
    inputs.model_digest = "xxh64:fake";
    inputs.device_description = "cpu";
  }
  mmh::store::ResultsStore store(const std::string& name = "r.sqlite") {
    return mmh::store::ResultsStore::open(dir / name, mmh::store::ResultsStore::OpenMode::kCreate);
  }
};

}  // namespace

TEST_CASE("runner: scores every sample of every evaluation and stores it", "[run]") {
  Setup s;
  auto store = s.store();
  const auto outcome = mmh::run::execute_run(s.options, s.inputs, store);
  CHECK_FALSE(outcome.interrupted);
  CHECK(outcome.generated == 6);  // 3 VQAv2 val questions at 0 and 4 shots
  const auto run = store.find_run(outcome.run_id);
  REQUIRE(run);
  CHECK(run->summary.status == "completed");
  REQUIRE(run->evaluations.size() == 2);
  for (const auto& e : run->evaluations) {
    CHECK(e.status == "completed");
    CHECK(e.samples_done == 3);
    REQUIRE_FALSE(e.metrics.empty());
    CHECK(e.metrics.front().name == "accuracy");
    // "cat" is 2 of the 3 distinct answers' ten: min(1, 6/3) for each -> 100.
    CHECK(e.metrics.front().value == Approx(100.0));
    const auto samples = store.samples(e.id);
    REQUIRE(samples.size() == 3);
    CHECK(samples[0].raw_output == " cat\nQuestion: more");
    CHECK(samples[0].prediction == "cat");  // vqa_short post-processing
    CHECK(samples[0].scores["accuracy"] == Approx(100.0));
    CHECK(samples[0].demo_keys.size() == static_cast<std::size_t>(e.spec.shots));
    CHECK(samples[0].ground_truth["references"].size() == 10);
  }
}

TEST_CASE("runner: out of memory halves the batch until it fits", "[run][oom]") {
  Setup s;
  s.model.memory_for = 1;
  auto store = s.store();
  const auto outcome = mmh::run::execute_run(s.options, s.inputs, store);
  CHECK(outcome.final_batch_size == 1);
  CHECK(outcome.generated == 6);
  CHECK(s.model.batch_sizes_seen.front() == 4);
  CHECK(std::find(s.model.batch_sizes_seen.begin(), s.model.batch_sizes_seen.end(), 2) !=
        s.model.batch_sizes_seen.end());
  CHECK(store.find_run(outcome.run_id)->summary.status == "completed");
}

TEST_CASE("runner: out of memory at batch size 1 fails the run with a clear error, keeping what is stored",
          "[run][oom]") {
  Setup s;
  s.model.memory_for = 0;
  auto store = s.store();
  REQUIRE_THROWS_WITH(mmh::run::execute_run(s.options, s.inputs, store),
                      Catch::Contains("out of memory") && Catch::Contains("batch size 1"));
  const auto runs = store.list_runs();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].status == "failed");
}

TEST_CASE("runner: a sample whose image fails is recorded as failed and the run goes on", "[run]") {
  Setup s("vqav2", {0});
  s.model.bad_image = "000000000002";  // COCO val image 2: question 2000
  auto store = s.store();
  const auto outcome = mmh::run::execute_run(s.options, s.inputs, store);
  CHECK(outcome.failed == 1);
  CHECK(outcome.generated == 2);
  const auto run = store.find_run(outcome.run_id);
  const auto& e = run->evaluations.at(0);
  CHECK(e.status == "completed");
  CHECK(e.samples_failed == 1);
  for (const auto& sample : store.samples(e.id)) {
    CHECK(sample.failed == (sample.key == "2000"));
    if (sample.failed) {
      CHECK_THAT(sample.error, Catch::Contains("corrupt image"));
      CHECK(sample.scores["accuracy"] == 0.0);  // scored as an empty answer
    }
  }
  CHECK(e.metrics.front().value == Approx(66.67).margin(0.01));
}

TEST_CASE("runner: the same settings again are served from the response cache, and --no-cache generates", "[run][cache]") {
  Setup s;
  auto store = s.store();
  const auto first = mmh::run::execute_run(s.options, s.inputs, store);
  const auto second = mmh::run::execute_run(s.options, s.inputs, store);
  CHECK(second.run_id != first.run_id);  // the first completed: a new run, not a resume
  CHECK(second.generated == 0);
  CHECK(second.cached == 6);
  CHECK(s.model.generated == 6);
  s.options.use_cache = false;
  const auto third = mmh::run::execute_run(s.options, s.inputs, store);
  CHECK(third.generated == 6);
  CHECK(s.model.generated == 12);
}

TEST_CASE("runner: an unfinished run resumes, and other settings start a new run", "[run][resume]") {
  Setup s;
  auto store = s.store();
  const auto first = mmh::run::execute_run(s.options, s.inputs, store);
  const auto before = store.find_run(first.run_id)->evaluations;
  // As a process killed during the second evaluation leaves it: two samples missing, no metrics.
  {
    mmh::sql::Database db(s.dir / "r.sqlite", mmh::sql::Database::OpenMode::kExisting);
    const std::string last = std::to_string(before.back().id);
    db.exec("DELETE FROM samples WHERE evaluation_id = " + last + " AND position >= 1;"
            "DELETE FROM metrics WHERE evaluation_id = " + last + ";"
            "UPDATE evaluations SET status = 'running', ended_at = NULL WHERE id = " + last + ";"
            "UPDATE runs SET status = 'running', ended_at = NULL, owner = 'otherhost:1';");
  }
  const auto again = mmh::run::execute_run(s.options, s.inputs, store);
  CHECK(again.resumed);
  CHECK(again.run_id == first.run_id);
  CHECK(again.samples_already_stored == 4);
  CHECK(again.cached == 2);  // the two lost samples' outputs are still in the response cache
  CHECK(again.generated == 0);
  const auto after = store.find_run(first.run_id);
  CHECK(after->summary.status == "completed");
  REQUIRE(after->evaluations.size() == before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    CHECK(after->evaluations[i].samples_done == 3);
    CHECK(after->evaluations[i].metrics.front().value == before[i].metrics.front().value);
    CHECK(after->evaluations[i].metrics.front().ci_low == before[i].metrics.front().ci_low);
  }

  s.options.seed = 7;  // other demonstrations: another run
  const auto other = mmh::run::execute_run(s.options, s.inputs, store);
  CHECK_FALSE(other.resumed);
  CHECK(other.run_id != first.run_id);
}

TEST_CASE("runner: a run left by a process that is not mmharness resumes", "[run][resume]") {
  Setup s("vqav2", {0});
  auto store = s.store();
  const auto first = mmh::run::execute_run(s.options, s.inputs, store);
  // This test process stands in for a live mmharness on this host.
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  {
    mmh::sql::Database db(s.dir / "r.sqlite", mmh::sql::Database::OpenMode::kExisting);
    db.exec("UPDATE runs SET status = 'running', owner = '" + std::string(host) + ":" + std::to_string(getppid()) +
            "';");
  }
  // The parent (ctest or a shell) is not an mmharness: its run counts as abandoned and resumes.
  const auto resumed = mmh::run::execute_run(s.options, s.inputs, store);
  CHECK(resumed.run_id == first.run_id);
}

TEST_CASE("runner: a prompt that cannot fit fails before anything is generated", "[run]") {
  Setup s("vqav2", {4});
  s.options.max_new_tokens = 99990;
  auto store = s.store();
  REQUIRE_THROWS_WITH(mmh::run::execute_run(s.options, s.inputs, store),
                      Catch::Contains("context length") && Catch::Contains("--truncate-demos"));
  CHECK(s.model.generated == 0);
}
