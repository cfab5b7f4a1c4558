// `mmharness demo-setup` run as `make demo` runs it: twice (the second run is
// a no-op), then `tasks` and `prompt` on what it wrote; a foreign folder is refused.
#include <catch2/catch.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"

using Catch::Matchers::Contains;
using mmh::test::run_mmharness;

TEST_CASE("demo-setup: writes once, is up to date the second time, and the data root is ready", "[demo][cli]") {
  mmh::test::TempDir dir;
  const std::string out = (dir / "demo").string();
  const auto first = run_mmharness({"demo-setup", "--out", out});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Contains("demo-setup: wrote " + out) && Contains("RANDOM weights") &&
                            Contains("meaningless") && Contains("12 scored and 16"));
  const std::string stamp = mmh::test::read_file(dir / "demo/demo-setup.json");

  const auto second = run_mmharness({"demo-setup", "--out", out});
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.out, Contains("is up to date") && Contains("nothing to do"));
  CHECK(mmh::test::read_file(dir / "demo/demo-setup.json") == stamp);

  const auto tasks = run_mmharness({"tasks", "--data-root", out + "/data"});
  INFO(tasks.out << tasks.err);
  CHECK(tasks.exit_code == 0);
  std::size_t ready = 0;
  for (auto at = tasks.out.find("[ready]"); at != std::string::npos; at = tasks.out.find("[ready]", at + 1)) ++ready;
  CHECK(ready == 9);
  CHECK_THAT(tasks.out, !Contains("missing  ") && Contains("test: 12 samples, 12 images found, 0 missing"));

  const auto prompt = run_mmharness({"prompt", "--task", "vqav2", "--data-root", out + "/data", "--shots", "4"});
  INFO(prompt.err);
  CHECK(prompt.exit_code == 0);
  CHECK_THAT(prompt.out, Contains("4-shot") && Contains("<image>Question: ") && Contains(" Short answer: "));
}

TEST_CASE("demo-setup: refuses a non-empty folder it did not write, and bad sizes", "[demo][cli]") {
  mmh::test::TempDir dir;
  mmh::test::write_file(dir / "mine/paper.tex", "\\documentclass{article}");
  const auto foreign = run_mmharness({"demo-setup", "--out", (dir / "mine").string()});
  CHECK(foreign.exit_code == 2);
  CHECK_THAT(foreign.err, Contains("mine") && Contains("is not empty"));
  CHECK(mmh::test::read_file(dir / "mine/paper.tex") == "\\documentclass{article}");

  const auto pool = run_mmharness({"demo-setup", "--out", (dir / "new").string(), "--pool", "4"});
  CHECK(pool.exit_code == 2);
  CHECK_THAT(pool.err, Contains("--pool") && Contains("8-shot"));
  const auto samples = run_mmharness({"demo-setup", "--out", (dir / "new").string(), "--samples", "0"});
  CHECK(samples.exit_code == 2);
  CHECK_THAT(samples.err, Contains("--samples"));
}
