#pragma once
// Python literals as the HF datasets store them: MMMU's `options` column is
// the repr of a list of strings, read by the official code with ast.literal_eval.
#include <string>
#include <string_view>
#include <vector>

namespace mmh::tasks {

// "['a', \"b\"]" -> {"a", "b"}: single- or double-quoted strings with Python's
// escapes (\\ \' \" \n \t \r \xNN \uNNNN \UNNNNNNNN), adjacent literals
// concatenated, an optional trailing comma. Anything else is an mmh::Error
// naming `where`.
std::vector<std::string> parse_python_string_list(std::string_view text, const std::string& where);

}  // namespace mmh::tasks
