#pragma once
// libsentencepiece behind a private dlopen.
//
// Debian's libsentencepiece bundles its own protobuf-lite and exports its
// symbols; LibTorch links the system libprotobuf. Linked into one process,
// each resolves some protobuf calls to the other's copy and the process
// crashes in static initialisation. So sentencepiece lives in a small shim,
// libmmh_spm.so, opened with RTLD_LOCAL | RTLD_DEEPBIND: it and its bundled
// protobuf bind to each other and stay invisible to the rest of the process.
// This class offers the few SentencePieceProcessor calls the tokenizer uses.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mmh::tokenizer {

struct SpmPiece {
  std::string piece;
  int id = 0;
};

class SpmProcessor {
 public:
  SpmProcessor();
  ~SpmProcessor();
  SpmProcessor(const SpmProcessor&) = delete;
  SpmProcessor& operator=(const SpmProcessor&) = delete;

  // A serialized ModelProto; returns an error text, empty on success.
  std::string load_from_serialized_proto(const std::string& proto);
  int piece_size() const;
  std::string id_to_piece(int id) const;
  int piece_to_id(std::string_view piece) const;
  int bos_id() const;
  int eos_id() const;
  int unk_id() const;
  int pad_id() const;
  // Returns an error text, empty on success.
  std::string encode(std::string_view text, std::vector<SpmPiece>* pieces) const;
  std::string decode(const std::vector<std::string>& pieces, std::string* text) const;
  std::string decode_ids(const std::vector<int>& ids, std::string* text) const;

 private:
  void* handle_ = nullptr;  // the shim's processor
};

}  // namespace mmh::tokenizer
