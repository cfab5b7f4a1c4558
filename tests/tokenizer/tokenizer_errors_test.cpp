// Bad input: every way a tokenizer folder or a text can be wrong gives one
// mmh::Error naming the file (and line:col or record), never a crash.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "model_backend/tokenizer/tokenizer.h"
#include "support/temp_dir.h"
#include "tokenizer_fixtures.h"

using Catch::Matchers::Contains;
using mmh::test::TempDir;
using mmh::test::write_file;
using mmh::tokenizer::Tokenizer;
namespace fs = std::filesystem;

namespace {

std::string load_error(const fs::path& dir) {
  try {
    Tokenizer::load(dir);
  } catch (const mmh::Error& e) {
    return e.what();
  }
  FAIL("no mmh::Error from loading " << dir);
  return {};
}

// A minimal valid byte-level tokenizer.json, with one section replaced.
std::string tiny_tokenizer_json(const std::string& model_type = "BPE",
                                const std::string& pre_tokenizer = R"({"type": "ByteLevel", "add_prefix_space": false, "use_regex": true})") {
  return R"({"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": )" + pre_tokenizer +
         R"(, "post_processor": null, "decoder": {"type": "ByteLevel"},
  "model": {"type": ")" + model_type + R"(", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}})";
}

}  // namespace

TEST_CASE("tokenizer: missing folder and folder without tokenizer files", "[tokenizer][errors]") {
  TempDir dir;
  CHECK_THAT(load_error(dir / "nope"), Contains("nope") && Contains("not found"));
  CHECK_THAT(load_error(dir.path()), Contains("no tokenizer.json or tokenizer.model"));
  write_file(dir / "file", "x");
  CHECK_THAT(load_error(dir / "file"), Contains("not a directory"));
}

TEST_CASE("tokenizer: corrupt tokenizer.model", "[tokenizer][errors]") {
  TempDir dir;
  std::string junk;
  std::uint32_t state = 12345;
  for (int i = 0; i < 4096; ++i) {
    state = state * 1664525u + 1013904223u;
    junk += static_cast<char>(state >> 24);
  }
  write_file(dir / "tokenizer.model", junk);
  CHECK_THAT(load_error(dir.path()), Contains("tokenizer.model") && Contains("not a valid SentencePiece model"));
  write_file(dir / "tokenizer.model", "");
  CHECK_THAT(load_error(dir.path()), Contains("tokenizer.model"));
}

TEST_CASE("tokenizer: truncated or malformed tokenizer.json gives file:line:col", "[tokenizer][errors]") {
  TempDir dir;
  const std::string full = tiny_tokenizer_json();
  write_file(dir / "tokenizer.json", full.substr(0, full.size() / 2));
  CHECK_THAT(load_error(dir.path()), Contains("tokenizer.json:") && Contains(":"));
  write_file(dir / "tokenizer.json", "{\n  \"model\": {\n    \"vocab\": {,}\n}}");
  CHECK_THAT(load_error(dir.path()), Contains("tokenizer.json:3:"));
  write_file(dir / "tokenizer.json", R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a z"]}})");
  CHECK_THAT(load_error(dir.path()), Contains("merges[0]") && Contains("\"z\" is not in the vocab"));
  write_file(dir / "tokenizer.json", R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [3]}})");
  CHECK_THAT(load_error(dir.path()), Contains("merges[0]"));
}

TEST_CASE("tokenizer: unsupported model type or pre-tokenizer lists what is supported", "[tokenizer][errors]") {
  TempDir dir;
  write_file(dir / "tokenizer.json", tiny_tokenizer_json("WordPiece"));
  CHECK_THAT(load_error(dir.path()), Contains("\"WordPiece\" is not supported") && Contains("supported: BPE"));
  write_file(dir / "tokenizer.json", tiny_tokenizer_json("BPE", R"({"type": "Whitespace"})"));
  CHECK_THAT(load_error(dir.path()), Contains("pre_tokenizer") && Contains("\"Whitespace\" is not supported") &&
                                         Contains("ByteLevel") && Contains("Split"));
  write_file(dir / "tokenizer.json", tiny_tokenizer_json("BPE", R"({"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"})"));
  CHECK_THAT(load_error(dir.path()), Contains("regex does not compile"));
}

TEST_CASE("tokenizer: the tiny tokenizer.json works, and invalid UTF-8 text is refused with its offset", "[tokenizer][errors]") {
  TempDir dir;
  write_file(dir / "tokenizer.json", tiny_tokenizer_json());
  const auto tok = Tokenizer::load(dir.path());
  CHECK(tok->encode("ab", true) == std::vector<std::int32_t>{2});
  CHECK(tok->decode({2, 0}) == "aba");
  try {
    tok->encode("ab\xC3(", true);
    FAIL("invalid UTF-8 accepted");
  } catch (const mmh::Error& e) {
    CHECK_THAT(e.what(), Contains("invalid UTF-8 at byte offset 2"));
  }
  CHECK_THROWS_AS(tok->decode({7}), mmh::Error);
  CHECK_THROWS_AS(tok->token_text(-1), mmh::Error);
  // Overlong, surrogate and past-U+10FFFF forms are invalid too.
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"}) CHECK_THROWS_AS(tok->encode(bad), mmh::Error);
}

TEST_CASE("tokenizer: invalid UTF-8 is refused by the SentencePiece path too", "[tokenizer][errors]") {
  const auto tok = Tokenizer::load(mmh::test::refdata("models/llava-tiny-a"));
  try {
    tok->encode(std::string("ok \x80"), true);
    FAIL("invalid UTF-8 accepted");
  } catch (const mmh::Error& e) {
    CHECK_THAT(e.what(), Contains("byte offset 3"));
  }
  CHECK_THROWS_AS(tok->decode({5000}), mmh::Error);
}

TEST_CASE("tokenizer: malformed tokenizer_config.json is named with line:col", "[tokenizer][errors]") {
  TempDir dir;
  write_file(dir / "tokenizer.json", tiny_tokenizer_json());
  write_file(dir / "tokenizer_config.json", "{\"legacy\": tru}");
  CHECK_THAT(load_error(dir.path()), Contains("tokenizer_config.json:1:"));
  write_file(dir / "tokenizer_config.json", R"({"added_tokens_decoder": {"x": {"content": "<a>"}}})");
  CHECK_THAT(load_error(dir.path()), Contains("added_tokens_decoder[\"x\"]"));
}
