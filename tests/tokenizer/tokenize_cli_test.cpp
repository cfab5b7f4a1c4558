// `mmharness tokenize`, run as a user would run it.
#include <catch2/catch.hpp>

#include "support/refdata.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "tokenizer_fixtures.h"

using Catch::Matchers::Contains;
using mmh::test::run_mmharness;

namespace {

// The first llava prompt's text and ids, from the reference data.
struct LlavaPrompt {
  std::string dir, text;
  std::vector<std::int32_t> ids;
};

LlavaPrompt llava_prompt(std::size_t index) {
  const auto dir = mmh::test::refdata("models/llava-tiny-a");
  const auto p = mmh::test::read_json(dir / "expected.json").at("prompts").at(index);
  return {dir.string(), p.at("text").get<std::string>(), p.at("input_ids").get<std::vector<std::int32_t>>()};
}

}  // namespace

TEST_CASE("tokenizer: tokenize --text --json prints ids, tokens and count", "[tokenizer][cli]") {
  const auto p = llava_prompt(1);
  const auto r = run_mmharness({"tokenize", "--tokenizer", p.dir, "--text", p.text, "--json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("ids").get<std::vector<std::int32_t>>() == p.ids);
  CHECK(j.at("count").get<std::size_t>() == p.ids.size());
  CHECK(j.at("tokens").at(0) == "<s>");
  CHECK(r.err.empty());
}

TEST_CASE("tokenizer: tokenize --text plain output and --no-special", "[tokenizer][cli]") {
  const auto p = llava_prompt(0);
  const auto r = run_mmharness({"tokenize", "--tokenizer", p.dir, "--text", p.text});
  REQUIRE(r.exit_code == 0);
  std::string ids_line = "ids:";
  for (auto id : p.ids) ids_line += " " + std::to_string(id);
  CHECK_THAT(r.out, Contains("count: " + std::to_string(p.ids.size())) && Contains(ids_line + "\n") &&
                        Contains("tokens: \"<s>\" \"\xE2\x96\x81USE\""));
  const auto n = run_mmharness({"tokenize", "--tokenizer", p.dir, "--text", p.text, "--no-special", "--json"});
  REQUIRE(n.exit_code == 0);
  const std::vector<std::int32_t> without_bos(p.ids.begin() + 1, p.ids.end());
  CHECK(nlohmann::json::parse(n.out).at("ids").get<std::vector<std::int32_t>>() == without_bos);
}

TEST_CASE("tokenizer: tokenize --jsonl prints one {\"ids\"} line per input", "[tokenizer][cli]") {
  mmh::test::TempDir dir;
  const auto a = llava_prompt(0), b = llava_prompt(4);
  mmh::test::write_file(dir / "in.jsonl", nlohmann::json{{"text", a.text}}.dump() + "\n\n" +
                                              nlohmann::json{{"text", b.text}, {"id", 7}}.dump() + "\n");
  const auto r = run_mmharness({"tokenize", "--tokenizer", a.dir, "--jsonl", (dir / "in.jsonl").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == nlohmann::json{{"ids", a.ids}}.dump() + "\n" + nlohmann::json{{"ids", b.ids}}.dump() + "\n");
}

TEST_CASE("tokenizer: tokenize: bad JSONL lines, bad folders and bad usage exit 2 with one message", "[tokenizer][cli]") {
  mmh::test::TempDir dir;
  const auto a = llava_prompt(0);
  const auto file = (dir / "in.jsonl").string();
  for (const auto& [content, expected] :
       std::vector<std::pair<std::string, std::string>>{{"{\"text\": \"ok\"}\n{\"text\": 3}\n", ": line 2: expected an object"},
                                                        {"{\"text\": \"ok\"}\n{\"text\": \"x\"\n", ": line 2: not valid JSON"},
                                                        {"[1]\n", ": line 1: expected an object"}}) {
    mmh::test::write_file(file, content);
    const auto r = run_mmharness({"tokenize", "--tokenizer", a.dir, "--jsonl", file});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());  // nothing printed as if complete
    CHECK_THAT(r.err, Contains(file + expected));
  }
  const auto missing = run_mmharness({"tokenize", "--tokenizer", (dir / "none").string(), "--text", "x"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("tokenizer folder not found"));
  const auto neither = run_mmharness({"tokenize", "--tokenizer", a.dir});
  CHECK(neither.exit_code == 2);
  CHECK_THAT(neither.err, Contains("--text") && Contains("--jsonl"));
  const auto both = run_mmharness({"tokenize", "--tokenizer", a.dir, "--text", "x", "--jsonl", file});
  CHECK(both.exit_code == 2);
  const auto help = run_mmharness({"tokenize", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Contains("--no-special") && Contains("{\"ids\": [...]}"));
}
