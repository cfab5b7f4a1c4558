// Tokenizer::load: which files of a checkpoint folder are used, and in what order.
#include "model_backend/tokenizer/tokenizer.h"

#include "common/error.h"
#include "model_backend/tokenizer/bpe_tokenizer.h"
#include "model_backend/tokenizer/sentencepiece_tokenizer.h"
#include "model_backend/tokenizer/tokenizer_config.h"

namespace mmh::tokenizer {

std::unique_ptr<Tokenizer> Tokenizer::load(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(dir.string(), fs::exists(dir, ec) ? "not a directory (expected a tokenizer folder)"
                                                 : "tokenizer folder not found");
  const TokenizerConfig config = read_tokenizer_config(dir);
  // Like AutoTokenizer: the fast tokenizer file when there is one.
  if (const fs::path file = dir / "tokenizer.json"; fs::exists(file, ec)) return make_bpe_tokenizer(file, config);
  if (const fs::path file = dir / "tokenizer.model"; fs::exists(file, ec))
    return make_sentencepiece_tokenizer(file, config);
  throw Error(dir.string(), "no tokenizer.json or tokenizer.model in this folder");
}

}  // namespace mmh::tokenizer
