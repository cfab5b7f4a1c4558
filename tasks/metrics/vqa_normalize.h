#pragma once
// Answer normalization of the official VQA-family evaluators, byte for byte:
//  - GT-Vision-Lab vqaEval.py processPunctuation / processDigitArticle (VQAv2, OK-VQA; Python 2),
//  - EvalAIAnswerProcessor (MMF pythia/tasks/processors.py, TextVQA; Python 3),
//  - the VizWiz API vqaEval.py variant (same rules, its own contractions table; Python 3).
// Spec: ../shared/refdata/metrics/vqa_spec.md section 3 and others_spec.md sections 1-2.
// Text is UTF-8. Every function writes into `out` (cleared first) so hot loops can reuse buffers.
#include <string>
#include <string_view>

#include "tasks/metrics/python_text.h"

namespace mmh::metrics {

// PyDialect (python_text.h) picks the string semantics of the interpreter each official script runs under:
// Python 2 for vqaEval.py (its regex \d is also ASCII-only: no re.UNICODE flag), Python 3 for MMF and the VizWiz API.

// The pattern whose presence anywhere makes processPunctuation delete, rather than space out, punctuation.
enum class CommaRule {
  kVqa,     // vqaEval.py commaStrip "(\d)(\,)(\d)"
  kEvalAi,  // EvalAI COMMA_STRIP "(?<=\d)(\,)+(?=\d)"
};

enum class ContractionTable {
  kVqa,     // vqaEval.py / EvalAI: 120 entries, ASCII apostrophes
  kVizWiz,  // VizWiz API copy: same keys, mostly typographic apostrophes (U+2019)
};

// Python's str.lower() and str.strip(), decoding UTF-8 as all of this file does (Utf8Check::kStructure).
void py_lower(std::string_view in, std::string& out, PyDialect dialect);
std::string_view py_strip(std::string_view in, PyDialect dialect);

// `.replace('\n', ' ').replace('\t', ' ').strip()`, the first step of every evaluator.
void clean_answer(std::string_view in, std::string& out, PyDialect dialect);

// processPunctuation: each of ; / [ ] " { } ( ) = + \ _ - > < @ ` , ? ! is deleted when it touches a space in the
// input (or the comma rule matches anywhere), else replaced by a space; then at most 32 '.' not followed by a digit
// are deleted (re.UNICODE passed as sub()'s count).
void process_punctuation(std::string_view in, std::string& out, CommaRule comma_rule, PyDialect dialect);

// processDigitArticle: lower(), split(), number words -> digits ("none" -> "0"), drop a/an/the, then whole-word
// contractions; joined by single spaces.
void process_digit_article(std::string_view in, std::string& out, ContractionTable table, PyDialect dialect);

// vqaEval.py on a GT answer or prediction when the ten GT answers disagree: clean, punctuation, digit/article.
void vqa_normalize(std::string_view in, std::string& out);

// EvalAIAnswerProcessor()(item): word_tokenize (lower, delete ',' and '?', "'s" -> " 's", strip), clean,
// process_punctuation (EvalAI comma rule), process_digit_article. TextVQA applies it to GT and prediction.
void evalai_normalize(std::string_view in, std::string& out);

// The VizWiz API's prediction processing (GT answers are compared raw): clean, punctuation, digit/article with the
// VizWiz contractions table.
void vizwiz_normalize_prediction(std::string_view in, std::string& out);

// Allocating conveniences for tests and one-off use.
std::string vqa_normalize(std::string_view in);
std::string evalai_normalize(std::string_view in);
std::string vizwiz_normalize_prediction(std::string_view in);

}  // namespace mmh::metrics
