#pragma once
// HTML text escaping. Every string that comes from data or a model (captions,
// questions, predictions, file names) goes through escape_html before it is
// placed in a page, in element text or in a quoted attribute value.
#include <string>
#include <string_view>

namespace mmh::reports {

// Escapes & < > " ' so the result is inert both as element text and inside a
// single- or double-quoted attribute.
std::string escape_html(std::string_view text);

}  // namespace mmh::reports
