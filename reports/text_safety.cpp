#include "reports/text_safety.h"

namespace mmh::reports {
namespace {

// What a lead byte promises: the sequence length (0: not a lead byte) and the
// allowed range of the second byte. Unicode's table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF.
struct LeadByte {
  std::size_t length = 0;
  unsigned char second_low = 0x80, second_high = 0xBF;
};

LeadByte classify(unsigned char lead) {
  if (lead < 0x80) return {1};
  if (lead >= 0xC2 && lead <= 0xDF) return {2};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};
  if (lead == 0xED) return {3, 0x80, 0x9F};
  if (lead >= 0xE1 && lead <= 0xEF) return {3};
  if (lead == 0xF0) return {4, 0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return {4};
  if (lead == 0xF4) return {4, 0x80, 0x8F};
  return {0};
}

// Bytes of the sequence at text[i] that are valid so far: equal to the lead's
// length when the sequence is complete; otherwise the maximal invalid subpart
// (at least 1) that one U+FFFD replaces.
std::size_t matched_length(std::string_view text, std::size_t i, std::size_t& expected) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const LeadByte lead = classify(byte(i));
  expected = lead.length;
  if (lead.length <= 1) return 1;
  std::size_t k = 1;
  if (i + k < text.size() && byte(i + k) >= lead.second_low && byte(i + k) <= lead.second_high)
    ++k;
  else
    return k;
  while (k < lead.length && i + k < text.size() && byte(i + k) >= 0x80 && byte(i + k) <= 0xBF) ++k;
  return k;
}

// Length of the valid sequence at text[i], or 0 when it is invalid.
std::size_t valid_sequence_length(std::string_view text, std::size_t i) {
  std::size_t expected = 0;
  const std::size_t matched = matched_length(text, i, expected);
  return expected != 0 && matched == expected ? matched : 0;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = valid_sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string repair_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = valid_sequence_length(text, i);
    if (length > 0) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      std::size_t expected = 0;
      out += "\xEF\xBF\xBD";
      i += matched_length(text, i, expected);
    }
  }
  return out;
}

std::string truncate_utf8(std::string_view text, std::size_t max_code_points) {
  const std::string valid = is_valid_utf8(text) ? std::string(text) : repair_utf8(text);
  std::size_t count = 0;
  for (std::size_t i = 0; i < valid.size(); i += valid_sequence_length(valid, i)) {
    if (count == max_code_points) return valid.substr(0, i) + "\xE2\x80\xA6";
    ++count;
  }
  return valid;
}

std::string escape_json_for_script(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        // U+2028 and U+2029 (E2 80 A8/A9) end a line in older JavaScript string literals.
        if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
            (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
          out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string json_for_script(const nlohmann::json& value) {
  return escape_json_for_script(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace mmh::reports
