#pragma once
// The official MMMU answer parsers and judges (MMMU-Benchmark/MMMU
// mmmu/utils/eval_utils.py @bb0b95a), reproduced with Python 3.11 string
// semantics: str.lower() (full Unicode mapping, final sigma), str.strip() and
// str.split() on Unicode whitespace, float() and Unicode-aware `re`.
// Spec: ../shared/refdata/metrics/others_spec.md section 5.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tasks/metrics/python_random.h"
#include "tasks/metrics/python_text.h"

namespace mmh::metrics {

// One element of a parsed open answer, as normalize_str returns it: a number
// rounded to 2 decimals, or a lower-cased string.
using OpenPred = std::variant<double, std::string>;

// get_multi_choice_info: the letters chr(ord('A') + i) for n options.
std::vector<std::string> choice_letters(std::size_t n);

// parse_multi_choice_response with all_choices/index2ans from `options`. Falls back to
// random.choice(all_choices) drawn from `rng` (and sets *fell_back) when nothing matches.
// With no options at all it returns "" and draws nothing (Python would raise IndexError).
std::string parse_multi_choice_response(std::string_view response, std::span<const std::string> options,
                                        PythonRandom& rng, bool* fell_back = nullptr);

// parse_open_response, deduplicated like list(set(...)); in a fixed order for
// comparisons: numbers ascending, then strings by code point.
std::vector<OpenPred> parse_open_response(std::string_view response);

std::vector<std::string> extract_numbers(std::string_view text);
std::vector<OpenPred> normalize_str(std::string_view text);

// eval_multi_choice: pred equals the gold (or one of a list gold).
bool eval_multi_choice(std::span<const std::string> gold, std::string_view pred);
// eval_open: a string pred contains a normalized string gold, or a number pred equals a normalized number gold.
bool eval_open(std::span<const std::string> gold, std::span<const OpenPred> preds);

// Python's float(text), or nullopt where it raises ValueError.
std::optional<double> python_float(std::string_view text);

}  // namespace mmh::metrics
