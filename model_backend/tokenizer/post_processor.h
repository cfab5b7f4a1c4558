#pragma once
// Post-processors of tokenizers, reduced to what encode(add_special=true) needs:
// the ids put before and after a single sequence.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace mmh::tokenizer {

struct SpecialFrame {
  std::vector<std::int32_t> before, after;
  std::vector<std::string> before_tokens;  // for the BOS guess when no config names one
};

// TemplateProcessing, ByteLevel (ids unchanged), RobertaProcessing, BertProcessing, Sequence; null → none.
SpecialFrame make_special_frame(const nlohmann::json& j, const std::string& where);

}  // namespace mmh::tokenizer
