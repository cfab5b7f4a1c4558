#pragma once
// Unicode Normalization Form C, as HF tokenizers' `NFC` normalizer (Qwen2)
// applies it. No ICU: the tables come from the Unicode Character Database via
// tools/gen_unicode_nfc.py (see unicode_nfc_data.inc for the version).
#include <string>
#include <string_view>

namespace mmh::tokenizer {

// NFC of valid UTF-8 text.
std::string to_nfc(std::string_view text);
// The Unicode version of the tables.
const char* nfc_unicode_version();

}  // namespace mmh::tokenizer
