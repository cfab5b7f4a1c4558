// libmmh_spm.so: the only code that links libsentencepiece (see spm_library.h
// for why it is a separately opened library). Plain entry points; std types
// cross the boundary, since both sides are built by the same compiler.
#include <sentencepiece_processor.h>

#include <string>
#include <vector>

#include "model_backend/tokenizer/spm_library.h"

using sentencepiece::SentencePieceProcessor;

namespace {
const SentencePieceProcessor& sp(const void* h) { return *static_cast<const SentencePieceProcessor*>(h); }
}  // namespace

extern "C" {

void* mmh_spm_new() { return new SentencePieceProcessor; }
void mmh_spm_delete(void* h) { delete static_cast<SentencePieceProcessor*>(h); }

void mmh_spm_load(void* h, const std::string* proto, std::string* error) {
  const auto status = static_cast<SentencePieceProcessor*>(h)->LoadFromSerializedProto(*proto);
  *error = status.ok() ? std::string() : std::string(status.ToString());
}

int mmh_spm_piece_size(const void* h) { return sp(h).GetPieceSize(); }
void mmh_spm_id_to_piece(const void* h, int id, std::string* out) { *out = sp(h).IdToPiece(id); }
int mmh_spm_piece_to_id(const void* h, const std::string* piece) { return sp(h).PieceToId(*piece); }
int mmh_spm_special_id(const void* h, int which) {
  switch (which) {
    case 0: return sp(h).bos_id();
    case 1: return sp(h).eos_id();
    case 2: return sp(h).unk_id();
    default: return sp(h).pad_id();
  }
}

void mmh_spm_encode(const void* h, const std::string* text, std::vector<mmh::tokenizer::SpmPiece>* pieces,
                    std::string* error) {
  sentencepiece::ImmutableSentencePieceText spt;
  const auto status = sp(h).Encode(*text, spt.mutable_proto());
  if (!status.ok()) {
    *error = status.ToString();
    return;
  }
  error->clear();
  pieces->clear();
  pieces->reserve(spt.pieces_size());
  for (const auto& p : spt.pieces()) pieces->push_back({p.piece(), static_cast<int>(p.id())});
}

void mmh_spm_decode(const void* h, const std::vector<std::string>* pieces, std::string* text, std::string* error) {
  const auto status = sp(h).Decode(*pieces, text);
  *error = status.ok() ? std::string() : std::string(status.ToString());
}

void mmh_spm_decode_ids(const void* h, const std::vector<int>* ids, std::string* text, std::string* error) {
  const auto status = sp(h).Decode(*ids, text);
  *error = status.ok() ? std::string() : std::string(status.ToString());
}

}  // extern "C"
