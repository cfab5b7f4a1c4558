// mmharness tokenize: a checkpoint's tokenizer on text, exactly as the model
// will see it (HF ids, with or without BOS and other added prefix tokens).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/error.h"
#include "common/json_file.h"
#include "harness/cli/app.h"
#include "harness/cli/store_json.h"
#include "model_backend/tokenizer/tokenizer.h"

namespace mmh::cli {
namespace {

struct TokenizeOptions {
  std::string tokenizer_dir;
  std::string text;
  std::string jsonl;
  bool no_special = false;
  bool json = false;
};

// A token string for the terminal: JSON-quoted so spaces, "▁" and control
// characters stay visible.
std::string quoted(const std::string& token) {
  return nlohmann::json(token).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void tokenize_text(const tokenizer::Tokenizer& tok, const TokenizeOptions& o) {
  const auto ids = tok.encode(o.text, !o.no_special);
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (auto id : ids) tokens.push_back(tok.token_text(id));
  if (o.json) {
    print_json(std::cout, {{"ids", ids}, {"tokens", tokens}, {"count", ids.size()}});
    return;
  }
  std::ostringstream out;
  out << "count: " << ids.size() << "\nids:";
  for (auto id : ids) out << ' ' << id;
  out << "\ntokens:";
  for (const auto& t : tokens) out << ' ' << quoted(t);
  out << '\n';
  std::cout << out.str();
}

// Encodes every line before printing any, so a bad line leaves no output that
// looks complete.
void tokenize_jsonl(const tokenizer::Tokenizer& tok, const TokenizeOptions& o) {
  check_input_file(o.jsonl);
  std::ifstream in(o.jsonl, std::ios::binary);
  if (!in) throw Error(o.jsonl, "cannot open");
  std::string line, out;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines carry nothing
    const std::string where = o.jsonl + ": line " + std::to_string(number);
    nlohmann::json record;
    try {
      record = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(where, std::string("not valid JSON (") + e.what() + ")");
    }
    if (!record.is_object() || !record.contains("text") || !record["text"].is_string())
      throw Error(where, "expected an object with a string \"text\"");
    std::vector<std::int32_t> ids;
    try {
      ids = tok.encode(record["text"].get_ref<const std::string&>(), !o.no_special);
    } catch (const Error& e) {
      throw Error(where, e.what());
    }
    out += nlohmann::json{{"ids", ids}}.dump() + "\n";
  }
  if (in.bad()) throw Error(o.jsonl, "read error");
  std::cout << out;
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  auto opts = std::make_shared<TokenizeOptions>();
  auto* cmd = app.add_subcommand(
      "tokenize",
      "Encode text with a checkpoint's tokenizer (tokenizer.json, else tokenizer.model), as HF would.\n"
      "  --text: prints count, ids and the JSON-quoted tokens; with --json one object\n"
      "          {\"ids\": [...], \"tokens\": [...], \"count\": N}.\n"
      "  --jsonl FILE: one {\"text\": ...} per line in, one {\"ids\": [...]} line out per input\n"
      "          (blank lines skipped; a bad line fails the command before anything is printed).");
  cmd->add_option("--tokenizer", opts->tokenizer_dir, "Folder with tokenizer.json or tokenizer.model (and configs)")
      ->required();
  auto* text = cmd->add_option("--text", opts->text, "Text to encode");
  auto* jsonl = cmd->add_option("--jsonl", opts->jsonl, "JSON-lines file of {\"text\": ...} records");
  text->excludes(jsonl);
  cmd->add_flag("--no-special", opts->no_special, "Encode without BOS and the other tokens the tokenizer adds");
  cmd->add_flag("--json", opts->json, "For --text: print one JSON object");
  cmd->callback([opts, text, jsonl] {
    if (!*text && !*jsonl) throw Error("tokenize", "give --text TEXT or --jsonl FILE");
    const auto tok = tokenizer::Tokenizer::load(opts->tokenizer_dir);
    if (*jsonl) tokenize_jsonl(*tok, *opts);
    else tokenize_text(*tok, *opts);
  });
}

}  // namespace mmh::cli
