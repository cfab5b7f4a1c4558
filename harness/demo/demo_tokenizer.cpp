#include "harness/demo/demo_tokenizer.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "harness/demo/bpe_trainer.h"
#include "model_backend/tokenizer/tokenizer.h"
#include "tasks/catalog.h"

namespace mmh::demo {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

constexpr std::size_t kSpecialsBefore = 3, kSpecialsAfter = 2;  // <unk> <s> </s> ... <image> <pad>

void write_json(const fs::path& path, const ordered_json& doc) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << doc.dump(2) << "\n";
  if (!out.flush()) throw Error(path.string(), "cannot write");
}

ordered_json special_token(const std::string& content) {
  return {{"content", content}, {"lstrip", false}, {"normalized", false}, {"rstrip", false},
          {"single_word", false}, {"special", true}};
}

struct Special {
  std::int32_t id;
  std::string content;
};

ordered_json tokenizer_json(const BpeVocabulary& bpe, const std::vector<Special>& specials) {
  ordered_json added = ordered_json::array();
  for (const auto& s : specials) {
    ordered_json t = {{"id", s.id}};
    t.update(special_token(s.content));
    added.push_back(std::move(t));
  }
  ordered_json vocab = ordered_json::object();
  for (std::size_t i = 0; i < kSpecialsBefore; ++i) vocab[specials[i].content] = specials[i].id;
  for (std::size_t i = 0; i < bpe.tokens.size(); ++i)
    vocab[bpe.tokens[i]] = static_cast<std::int32_t>(kSpecialsBefore + i);
  ordered_json merges = ordered_json::array();
  // "a b" strings (the format before tokenizers 0.20): byte-level tokens never hold a space.
  for (const auto& [left, right] : bpe.merges) merges.push_back(left + " " + right);
  const ordered_json bos = {{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}};
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", added},
          {"normalizer", nullptr},
          {"pre_tokenizer",
           {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
          {"post_processor",
           {{"type", "TemplateProcessing"},
            {"single", {bos, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
            {"pair",
             {bos,
              {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
              {{"SpecialToken", {{"id", "<s>"}, {"type_id", 1}}}},
              {{"Sequence", {{"id", "B"}, {"type_id", 1}}}}}},
            {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {kBosId}}, {"tokens", {"<s>"}}}}}}}},
          {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}},
          {"model",
           {{"type", "BPE"},
            {"dropout", nullptr},
            {"unk_token", nullptr},
            {"continuing_subword_prefix", nullptr},
            {"end_of_word_suffix", nullptr},
            {"fuse_unk", false},
            {"byte_fallback", false},
            {"ignore_merges", false},
            {"vocab", vocab},
            {"merges", merges}}}};
}

ordered_json tokenizer_config(const std::vector<Special>& specials) {
  ordered_json decoder = ordered_json::object();
  for (const auto& s : specials) decoder[std::to_string(s.id)] = special_token(s.content);
  return {{"add_bos_token", true},
          {"add_eos_token", false},
          {"added_tokens_decoder", decoder},
          {"bos_token", "<s>"},
          {"clean_up_tokenization_spaces", false},  // decode must give the text back exactly
          {"eos_token", "</s>"},
          {"model_max_length", 2048},
          {"pad_token", "<pad>"},
          {"padding_side", "left"},
          {"tokenizer_class", "PreTrainedTokenizerFast"},
          {"unk_token", "<unk>"}};
}

ordered_json special_tokens_map() {
  return {{"bos_token", special_token("<s>")},
          {"eos_token", special_token("</s>")},
          {"pad_token", special_token("<pad>")},
          {"unk_token", special_token("<unk>")}};
}

void check_written(const fs::path& dir, const std::vector<std::string>& corpus, const DemoTokenizerInfo& info) {
  const auto tok = tokenizer::Tokenizer::load(dir);
  const std::string where = (dir / "tokenizer.json").string();
  if (tok->size() != info.vocab_size || tok->bos_id != kBosId || tok->eos_id != kEosId ||
      tok->token_id("<image>") != info.image_id || tok->pad_id != info.pad_id)
    throw Error(where, "the written tokenizer does not load with the sizes and special ids it was written with");
  for (const std::string& text : corpus)
    if (tok->decode(tok->encode(text, false)) != text)
      throw Error(where, "the written tokenizer does not round-trip \"" + text + "\"");
}

}  // namespace

std::vector<std::string> tokenizer_corpus(const std::vector<std::string>& data_texts) {
  // Prompt layouts of prompts/templates.cpp and the LLaVA family's chat words, as they appear in rendered prompts.
  std::vector<std::string> corpus = {"Question:", " Question:", "Short answer:", " Short answer:", "Output:",
                                     "Answer:",   "\nAnswer:",  "USER:",         " USER:",         "ASSISTANT:",
                                     " ASSISTANT:", "\n"};
  for (const auto& task : tasks::task_catalog()) {
    corpus.push_back(task.instruction);
    if (!task.open_instruction.empty()) corpus.push_back(task.open_instruction);
  }
  for (char letter = 'A'; letter <= 'D'; ++letter) corpus.push_back(std::string(1, letter) + ". ");
  // The numbers signs show and counts take, alone (an answer) and after a space (in a sentence).
  for (int n = 0; n <= 99; ++n) {
    std::string spaced = " ";
    spaced += corpus.emplace_back(std::to_string(n));
    corpus.push_back(std::move(spaced));
  }
  // Each text as it starts a turn and as it follows "Question:" or "Output:" in a prompt (after a space).
  for (const std::string& text : data_texts) {
    corpus.push_back(text);
    std::string spaced = " ";
    corpus.push_back(spaced += text);
  }
  return corpus;
}

DemoTokenizerInfo write_demo_tokenizer(const fs::path& dir, const std::vector<std::string>& corpus,
                                       std::size_t vocab_target) {
  if (vocab_target < kSpecialsBefore + 256 + kSpecialsAfter)
    throw Error("demo tokenizer",
                "a vocabulary of " + std::to_string(vocab_target) + " cannot hold the bytes and specials");
  const BpeVocabulary bpe = train_byte_level_bpe(corpus, vocab_target - kSpecialsBefore - kSpecialsAfter);
  DemoTokenizerInfo info;
  info.merges = bpe.merges.size();
  info.image_id = static_cast<std::int32_t>(kSpecialsBefore + bpe.tokens.size());
  info.pad_id = info.image_id + 1;
  info.vocab_size = static_cast<std::size_t>(info.pad_id) + 1;
  const std::vector<Special> specials = {
      {kUnkId, "<unk>"}, {kBosId, "<s>"}, {kEosId, "</s>"}, {info.image_id, "<image>"}, {info.pad_id, "<pad>"}};

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir.string(), "cannot create folder: " + ec.message());
  write_json(dir / "tokenizer.json", tokenizer_json(bpe, specials));
  write_json(dir / "tokenizer_config.json", tokenizer_config(specials));
  write_json(dir / "special_tokens_map.json", special_tokens_map());
  check_written(dir, corpus, info);
  return info;
}

}  // namespace mmh::demo
