// The tokenizers of the tiny reference checkpoints (slow transformers
// tokenizers over tokenizer.model): every prompt's input_ids exactly, and the
// generated ids decoded with and without special tokens.
#include <catch2/catch.hpp>

#include "model_backend/tokenizer/tokenizer.h"
#include "tokenizer_fixtures.h"

using mmh::test::read_json;
using mmh::test::refdata;
using mmh::test::shown;
using mmh::tokenizer::Tokenizer;

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

void check_generation(const Tokenizer& tok, const nlohmann::json& prompt) {
  const auto& g = prompt.at("generation");
  const auto ids = g.at("new_ids").get<std::vector<std::int32_t>>();
  CHECK(tok.decode(ids, false) == g.at("new_text").get<std::string>());
  CHECK(tok.decode(ids, true) == g.at("new_text_skip_special").get<std::string>());
}

}  // namespace

TEST_CASE("tokenizer: llava-tiny-a: LlamaTokenizer(legacy=False) with <image>", "[tokenizer][spm][models]") {
  const auto dir = refdata("models/llava-tiny-a");
  const auto expected = read_json(dir / "expected.json");
  const auto tok = Tokenizer::load(dir);
  CHECK(tok->kind == "sentencepiece");
  CHECK(tok->size() == expected.at("len_tokenizer").get<std::size_t>());
  CHECK(tok->token_id("<image>") == expected.at("image_token_id").get<std::int32_t>());
  CHECK(tok->bos_id == expected.at("bos_token_id").get<std::int32_t>());
  CHECK(tok->eos_id == expected.at("eos_token_id").get<std::int32_t>());
  CHECK(tok->pad_id == expected.at("pad_token_id").get<std::int32_t>());
  CHECK(tok->is_special(*tok->token_id("<image>")));
  for (const auto& p : expected.at("prompts")) {
    const std::string text = p.at("text").get<std::string>();
    INFO(p.at("name").get<std::string>() << ": " << shown(text));
    const auto ids = tok->encode(text, true);
    CHECK(ids == p.at("input_ids").get<std::vector<std::int32_t>>());
    // The token strings too ("▁" before <image>, no dummy prefix after it).
    const auto tokens = p.at("tokens").get<std::vector<std::string>>();
    REQUIRE(ids.size() == tokens.size());
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(tok->token_text(ids[i]) == tokens[i]);
    check_generation(*tok, p);
  }
  // "USER: <image>\nWhat" keeps the "▁" before the added token and adds none after it.
  CHECK(tok->decode(tok->encode("USER: <image>\nWhat is this?", true), true) == "USER: \nWhat is this?");
}

TEST_CASE("tokenizer: idefics2-tiny: LlamaTokenizer with the processor's image tokens", "[tokenizer][spm][models]") {
  const auto dir = refdata("models/idefics2-tiny");
  const auto expected = read_json(dir / "expected.json");
  const auto tok = Tokenizer::load(dir);
  CHECK(tok->size() == expected.at("len_tokenizer").get<std::size_t>());
  CHECK(tok->token_id("<end_of_utterance>") == expected.at("end_of_utterance_token_id").get<std::int32_t>());
  const auto seq_len = expected.at("image_seq_len").get<std::size_t>();
  for (const auto& p : expected.at("prompts")) {
    // Idefics2Processor's expansion: <fake><image>*N<fake> per image (5 times
    // with image splitting), adjacent <fake><fake> collapsed.
    std::string image = "<fake_token_around_image>";
    for (std::size_t i = 0; i < seq_len; ++i) image += "<image>";
    image += "<fake_token_around_image>";
    if (p.at("processor_overrides").value("do_image_splitting", false)) image = image + image + image + image + image;
    std::string text = replace_all(p.at("text").get<std::string>(), "<image>", image);
    text = replace_all(text, "<fake_token_around_image><fake_token_around_image>", "<fake_token_around_image>");
    INFO(p.at("name").get<std::string>() << ": " << shown(text));
    CHECK(tok->encode(text, true) == p.at("input_ids").get<std::vector<std::int32_t>>());
    check_generation(*tok, p);
  }
}

TEST_CASE("tokenizer: paligemma-tiny: GemmaTokenizer with <image>, <loc>, <seg> tokens", "[tokenizer][spm][models]") {
  const auto dir = refdata("models/paligemma-tiny");
  const auto expected = read_json(dir / "expected.json");
  const auto tok = Tokenizer::load(dir);
  CHECK(tok->size() == expected.at("len_tokenizer").get<std::size_t>());
  CHECK(tok->bos_id == expected.at("bos_token_id").get<std::int32_t>());
  CHECK(tok->eos_id == expected.at("eos_token_id").get<std::int32_t>());
  CHECK(tok->pad_id == expected.at("pad_token_id").get<std::int32_t>());
  CHECK(!tok->is_special(*tok->token_id("<loc0000>")));
  for (const auto& p : expected.at("prompts")) {
    // The processor writes <image>s and <bos> into the string and sets add_bos_token=false.
    const std::string text = p.at("processor_prompt_string").get<std::string>();
    INFO(p.at("name").get<std::string>() << ": " << shown(text));
    CHECK(tok->encode(text, true) == p.at("input_ids").get<std::vector<std::int32_t>>());
    check_generation(*tok, p);
  }
}
