#pragma once
// What every data-derived string needs before it reaches a page: valid UTF-8
// (model output is arbitrary bytes; an invalid sequence must not break the
// page), and, for JSON read by the inline script, no character that could end
// the <script> element or a JavaScript string.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace mmh::reports {

bool is_valid_utf8(std::string_view text);
// Each maximal invalid subsequence becomes U+FFFD (as the WHATWG decoder does).
std::string repair_utf8(std::string_view text);

// At most `max_code_points` code points of valid UTF-8, with "…" when cut.
std::string truncate_utf8(std::string_view text, std::size_t max_code_points);

// JSON text safe as the content of a <script> element: < > & become \u003c
// \u003e \u0026 (no "</script>" or "<!--"), U+2028/U+2029 become \u2028/\u2029,
// and invalid UTF-8 in strings is replaced. JSON.parse reads it back unchanged.
std::string json_for_script(const nlohmann::json& value);
// The same escaping applied to JSON text already serialised.
std::string escape_json_for_script(std::string_view json);

}  // namespace mmh::reports
