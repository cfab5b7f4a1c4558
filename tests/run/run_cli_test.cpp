// `mmharness run` and `merge` through the real binary, on the demo's nine
// tasks and its small random-weight checkpoint: what is stored, resuming after
// SIGKILL and SIGINT, shards + merge, the response cache, and bad input.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "run/run_fixture.h"

namespace fs = std::filesystem;
using Catch::Contains;
using mmh::test::query_rows;
using mmh::test::run_mmharness;
using nlohmann::json;

namespace {

const mmh::test::RunFixture& fixture() {
  static const mmh::test::RunFixture f;
  return f;
}

// What must be identical between two databases holding the same evaluation.
std::vector<std::string> sample_rows(const fs::path& db) {
  return query_rows(db,
                    "SELECT e.task, e.shots, e.trial, s.position, s.sample_key, s.demo_keys, s.raw_output, "
                    "s.prediction, s.scores, s.status FROM samples s JOIN evaluations e ON e.id = s.evaluation_id "
                    "JOIN runs r ON r.id = e.run_id WHERE r.status = 'completed' "
                    "ORDER BY e.task, e.shots, e.trial, s.position");
}
std::vector<std::string> metric_rows(const fs::path& db) {
  return query_rows(db,
                    "SELECT e.task, e.shots, e.trial, m.name, m.value, m.ci_low, m.ci_high, m.n FROM metrics m "
                    "JOIN evaluations e ON e.id = m.evaluation_id JOIN runs r ON r.id = e.run_id "
                    "WHERE r.status = 'completed' ORDER BY e.task, e.shots, e.trial, m.name");
}

// Starts mmharness without waiting; stdout and stderr go to files.
pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::FILE* out = std::fopen(log.c_str(), "a");
    dup2(fileno(out), 1);
    dup2(fileno(out), 2);
    std::vector<char*> argv = {const_cast<char*>(MMH_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(MMH_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::int64_t stored_samples(const fs::path& db) {
  try {
    return std::stoll(query_rows(db, "SELECT count(*) FROM samples").at(0));
  } catch (const std::exception&) {  // not created yet, or mid-migration
    return 0;
  }
}

}  // namespace

TEST_CASE("run: all nine tasks at 0 and 4 shots, stored with metrics and provenance", "[run][cli]") {
  mmh::test::TempDir dir;
  const auto db = dir / "r.sqlite";
  const auto r = run_mmharness(fixture().run_args(db, "all", "0,4", {"--json", "--name", "nine"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out);
  CHECK(out["status"] == "completed");
  CHECK(out["generated"] == 9 * 2 * 4);
  REQUIRE(out["evaluations"].size() == 18);
  for (const auto& e : out["evaluations"]) {
    INFO(e.dump());
    CHECK(e["status"] == "completed");
    CHECK(e["samples_done"] == 4);
    REQUIRE_FALSE(e["metrics"].empty());
    const auto& headline = e["metrics"][0];
    CHECK((headline["name"] == "CIDEr" || headline["name"] == "accuracy" || headline["name"] == "Bleu_1"));
    CHECK(headline["n"] == 4);
    CHECK(headline["ci_low"].get<double>() <= headline["value"].get<double>());
    CHECK(headline["value"].get<double>() <= headline["ci_high"].get<double>());
  }
  // Every sample: its prompt's demonstrations, raw output, prediction, scores and ground truth.
  CHECK(query_rows(db, "SELECT count(*) FROM samples WHERE raw_output IS NOT NULL AND prompt_hash LIKE 'xxh64:%' "
                       "AND json_array_length(demo_keys) = (SELECT shots FROM evaluations e WHERE e.id = evaluation_id) "
                       "AND json_array_length(json_extract(ground_truth, '$.references')) > 0 "
                       "AND scores != '{}' AND status = 'ok'")
            .at(0) == "72");
  CHECK(query_rows(db, "SELECT count(DISTINCT task) FROM evaluations").at(0) == "9");
  // Provenance.
  const auto settings = json::parse(query_rows(db, "SELECT settings FROM runs").at(0));
  CHECK(settings["model"]["digest"].get<std::string>().rfind("xxh64:", 0) == 0);
  CHECK(settings["model"]["family"] == "llava");
  CHECK(settings["model"]["dtype"] == "fp32");
  CHECK_FALSE(settings["runtime"]["libtorch"].get<std::string>().empty());
  CHECK(settings["harness"]["version"].is_string());
  CHECK(settings["template"]["hash"].is_string());
  CHECK(settings["demos"] == "per-query");
  CHECK(settings["tasks"]["coco"]["postprocess"] == "caption");
  const auto run_row = query_rows(db, "SELECT name, argv, seeds, device, git_revision, fingerprint FROM runs").at(0);
  CHECK_THAT(run_row, Contains("nine|") && Contains("\"--tasks\",\"all\"") && Contains("trial_demonstrations") &&
                          Contains("cpu") && Contains("xxh64:"));
  CHECK(query_rows(db, "SELECT count(*) FROM evaluations WHERE wall_seconds > 0 AND template_hash != '' "
                       "AND postprocess != ''")
            .at(0) == "18");

  SECTION("a second identical run is served from the response cache, with identical metrics") {
    const auto again = run_mmharness(fixture().run_args(db, "all", "0,4"));
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK_THAT(again.out, Contains("0 generated, 72 from the response cache"));
    CHECK(query_rows(db, "SELECT count(*) FROM runs").at(0) == "2");
    const auto a = query_rows(db, "SELECT e.task, e.shots, m.name, m.value, m.ci_low, m.ci_high FROM metrics m JOIN "
                                  "evaluations e ON e.id = m.evaluation_id WHERE e.run_id = 1 ORDER BY 1, 2, 3");
    const auto b = query_rows(db, "SELECT e.task, e.shots, m.name, m.value, m.ci_low, m.ci_high FROM metrics m JOIN "
                                  "evaluations e ON e.id = m.evaluation_id WHERE e.run_id = 2 ORDER BY 1, 2, 3");
    CHECK(a == b);
    CHECK(query_rows(db, "SELECT count(*) FROM samples WHERE cached = 1").at(0) == "72");
  }
}

TEST_CASE("run: killed with SIGKILL at random points and resumed, it ends identical to an uninterrupted run",
          "[run][cli][resume]") {
  mmh::test::TempDir dir;
  const std::string tasks = "all";
  const std::vector<std::string> extra = {"--batch-size", "2"};
  const auto reference = run_mmharness(fixture().run_args(dir / "ref.sqlite", tasks, "0,4", extra));
  REQUIRE(reference.exit_code == 0);

  const auto db = dir / "killed.sqlite";
  const auto args = fixture().run_args(db, tasks, "0,4", extra);
  std::random_device entropy;
  std::mt19937 random(entropy());
  std::int64_t previous = -1;
  int kills = 0;
  bool finished = false;
  while (kills < 4 && !finished) {
    const pid_t pid = spawn(args, dir / "log.txt");
    // Wait until this process has stored something new (the first time: not even that), then kill it at a
    // random moment within the next batches.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (stored_samples(db) <= previous && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 150)(random)));
    kill(pid, SIGKILL);
    const int status = wait_exit(pid);
    finished = status == 0;  // it completed before the signal came
    if (status == 128 + SIGKILL) ++kills;
    previous = stored_samples(db);
    UNSCOPED_INFO("killed with " << previous << " samples stored");
  }
  CHECK(kills >= 2);
  const auto resumed = run_mmharness(args);
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  if (kills > 0) CHECK_THAT(resumed.out, Contains("resumed with"));
  CHECK(query_rows(db, "SELECT count(*) FROM runs").at(0) == "1");  // every restart continued the same run
  CHECK(query_rows(db, "SELECT status FROM runs").at(0) == "completed");
  CHECK(sample_rows(db) == sample_rows(dir / "ref.sqlite"));
  CHECK(metric_rows(db) == metric_rows(dir / "ref.sqlite"));
  CHECK(sample_rows(db).size() == 9 * 2 * 4);
}

TEST_CASE("run: SIGINT stops after the batch, says how to resume, and the run resumes", "[run][cli][resume]") {
  mmh::test::TempDir dir;
  const auto db = dir / "r.sqlite";
  const auto args = fixture().run_args(db, "coco,textcaps", "0,4", {"--batch-size", "1"});
  const pid_t pid = spawn(args, dir / "log.txt");
  while (stored_samples(db) < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  kill(pid, SIGINT);
  CHECK(wait_exit(pid) == 130);
  const auto log = mmh::test::read_file(dir / "log.txt");
  CHECK_THAT(log, Contains("Resume with:") && Contains("--tasks coco,textcaps"));
  CHECK(query_rows(db, "SELECT status FROM runs").at(0) == "interrupted");
  const auto stored = stored_samples(db);
  CHECK(stored < 16);
  const auto resumed = run_mmharness(args);
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.out, Contains("resumed with " + std::to_string(stored) + " samples already stored"));
  CHECK(query_rows(db, "SELECT status, (SELECT count(*) FROM samples) FROM runs").at(0) == "completed|16");
  // The resume is part of the run's provenance.
  const auto settings = json::parse(query_rows(db, "SELECT settings FROM runs").at(0));
  REQUIRE(settings["resumed"].size() == 1);
  CHECK(settings["resumed"][0]["argv"].size() == args.size() + 1);
}

TEST_CASE("run: a run that a live process is writing is not taken over by a second one", "[run][cli][resume]") {
  mmh::test::TempDir dir;
  const auto db = dir / "r.sqlite";
  // 252 samples one at a time: long enough for a second process to find it running.
  const auto args = fixture().run_args(db, "all", "0,4,8", {"--batch-size", "1", "--trials", "3"});
  const pid_t first = spawn(args, dir / "log.txt");
  while (stored_samples(db) < 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto second = run_mmharness(args);
  const bool first_still_running = waitpid(first, nullptr, WNOHANG) == 0;
  kill(first, SIGKILL);
  wait_exit(first);
  REQUIRE(first_still_running);
  CHECK(second.exit_code == 2);
  CHECK_THAT(second.err, Contains("is being written by process") && Contains("--new-run"));
  // Once the writer is gone, the same command resumes it.
  const auto resumed = run_mmharness(args);
  CHECK(resumed.exit_code == 0);
  CHECK_THAT(resumed.out, Contains("resumed with"));
}

TEST_CASE("run: 3 shards + merge give the metrics of one shard", "[run][cli][shard]") {
  mmh::test::TempDir dir;
  const std::string tasks = "coco,gqa,mmmu";
  const std::vector<std::string> extra = {"--batch-size", "1"};
  REQUIRE(run_mmharness(fixture().run_args(dir / "one.sqlite", tasks, "0,4", extra)).exit_code == 0);
  for (int i = 0; i < 2; ++i) {
    auto args = fixture().run_args(dir / "sh.sqlite", tasks, "0,4", extra);
    args.insert(args.end(), {"--shard", std::to_string(i) + "/3"});
    REQUIRE(run_mmharness(args).exit_code == 0);
  }
  // The third shard as torchrun would start it.
  setenv("RANK", "2", 1);
  setenv("WORLD_SIZE", "3", 1);
  setenv("LOCAL_RANK", "0", 1);
  const auto third = run_mmharness(fixture().run_args(dir / "sh.sqlite", tasks, "0,4", extra));
  unsetenv("RANK");
  unsetenv("WORLD_SIZE");
  unsetenv("LOCAL_RANK");
  REQUIRE(third.exit_code == 0);
  for (int i = 0; i < 3; ++i) REQUIRE(fs::exists(dir / ("sh.shard-" + std::to_string(i) + "-of-3.sqlite")));
  // Each shard holds its disjoint slice.
  CHECK(query_rows(dir / "sh.shard-0-of-3.sqlite", "SELECT count(*) FROM samples").at(0) == "12");  // positions 0, 3
  CHECK(query_rows(dir / "sh.shard-2-of-3.sqlite", "SELECT count(*) FROM samples").at(0) == "6");   // position 2

  std::vector<std::string> merge = {"merge", "--into", (dir / "merged.sqlite").string()};
  for (int i : {2, 0, 1}) merge.push_back((dir / ("sh.shard-" + std::to_string(i) + "-of-3.sqlite")).string());
  const auto merged = run_mmharness(merge);
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK_THAT(merged.out, Contains("merged 3 shards: 6 evaluations, 24 samples"));
  CHECK(metric_rows(dir / "merged.sqlite") == metric_rows(dir / "one.sqlite"));
  CHECK(sample_rows(dir / "merged.sqlite") == sample_rows(dir / "one.sqlite"));
  const auto settings = json::parse(query_rows(dir / "merged.sqlite", "SELECT settings FROM runs").at(0));
  CHECK(settings["shard"]["merged_from"].size() == 3);

  SECTION("merge refuses incomplete or mismatched shard sets") {
    const auto missing = run_mmharness({"merge", "--into", (dir / "m2.sqlite").string(),
                                        (dir / "sh.shard-0-of-3.sqlite").string(),
                                        (dir / "sh.shard-1-of-3.sqlite").string()});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Contains("3 files") || Contains("of 3"));
    const auto twice = run_mmharness({"merge", "--into", (dir / "m3.sqlite").string(),
                                      (dir / "sh.shard-0-of-3.sqlite").string(),
                                      (dir / "sh.shard-0-of-3.sqlite").string(),
                                      (dir / "sh.shard-1-of-3.sqlite").string()});
    CHECK(twice.exit_code == 2);
    CHECK_THAT(twice.err, Contains("twice"));
    CHECK_FALSE(fs::exists(dir / "m2.sqlite"));
  }
}

TEST_CASE("run: bad input gets one clear error line and exit code 2", "[run][cli][errors]") {
  mmh::test::TempDir dir;
  const auto db = dir / "r.sqlite";
  const auto& f = fixture();

  auto args_with_model = [&](const fs::path& model) {
    auto args = f.run_args(db, "vqav2", "0");
    args[2] = model.string();
    return args;
  };
  auto copy_model = [&](const std::string& name) {
    fs::copy(f.model, dir / name, fs::copy_options::recursive);
    return dir / name;
  };

  SECTION("a missing model folder") {
    const auto r = run_mmharness(args_with_model(dir / "nope"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("nope"));
  }
  SECTION("a truncated weights file") {
    const auto model = copy_model("truncated");
    fs::resize_file(model / "model.safetensors", fs::file_size(model / "model.safetensors") / 2);
    const auto r = run_mmharness(args_with_model(model));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("model.safetensors"));
  }
  SECTION("an unsupported family") {
    const auto model = copy_model("other");
    auto config = json::parse(mmh::test::read_file(model / "config.json"));
    config["model_type"] = "idefics3";
    mmh::test::write_file(model / "config.json", config.dump());
    const auto r = run_mmharness(args_with_model(model));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("idefics3") && Contains("llava"));
  }
  SECTION("a data root without the task's files") {
    fs::create_directories(dir / "empty");
    auto args = f.run_args(db, "vqav2", "0");
    args[4] = (dir / "empty").string();
    const auto r = run_mmharness(args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("has no data for task vqav2"));
  }
  SECTION("unknown tasks and bad shot lists") {
    CHECK_THAT(run_mmharness(f.run_args(db, "vqa3", "0")).err, Contains("unknown task 'vqa3'"));
    CHECK(run_mmharness(f.run_args(db, "vqav2", "0,x")).exit_code == 2);
    CHECK(run_mmharness(f.run_args(db, "vqav2", "0", {"--shard", "3/3"})).exit_code == 2);
  }
  SECTION("a prompt that cannot fit the context") {
    const auto r = run_mmharness(f.run_args(db, "vqav2", "4", {"--max-new-tokens", "2040"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("context length") && Contains("--truncate-demos"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("a corrupt image is a failed sample; the run goes on") {
    fs::copy(f.data, dir / "data", fs::copy_options::recursive);
    const auto questions = json::parse(mmh::test::read_file(dir / "data/vqav2/v2_OpenEnded_mscoco_val2014_questions.json"));
    char name[64];
    std::snprintf(name, sizeof name, "COCO_val2014_%012d.jpg", questions["questions"][0]["image_id"].get<int>());
    mmh::test::write_file(dir / "data/coco/val2014" / name, "not an image at all");
    auto args = f.run_args(db, "vqav2", "0");
    args[4] = (dir / "data").string();
    const auto r = run_mmharness(args);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("failed") && Contains(name));
    CHECK_THAT(r.out, Contains("1 failed"));
    const auto failed = query_rows(db, "SELECT count(*), min(error) FROM samples WHERE status = 'failed'").at(0);
    CHECK_THAT(failed, Contains("1|") && Contains(name));
  }
}
