#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <numeric>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "support/refdata.h"
#include "tasks/metrics/mmmu.h"
#include "tasks/metrics/mmmu_parse.h"

using namespace mmh::metrics;
using nlohmann::json;

namespace {

json load(const std::string& relative) {
  std::ifstream in(mmh::test::refdata(relative));
  return json::parse(in);
}

// A gold is a string or, for a few questions, a list of strings.
std::vector<std::string> gold_of(const json& gold) {
  if (gold.is_array()) return gold.get<std::vector<std::string>>();
  return {gold.get<std::string>()};
}

// parsed_pred of an open case: sorted, numbers first, the order parse_open_response returns.
std::vector<OpenPred> open_preds_of(const json& list) {
  std::vector<OpenPred> preds;
  for (const auto& item : list) {
    if (item.is_number()) preds.emplace_back(item.get<double>());
    else preds.emplace_back(item.get<std::string>());
  }
  return preds;
}

std::string describe(const std::vector<OpenPred>& preds) {
  std::string out = "[";
  for (const auto& p : preds) {
    if (const auto* d = std::get_if<double>(&p)) out += std::to_string(*d) + ", ";
    else out += "\"" + std::get<std::string>(p) + "\", ";
  }
  return out + "]";
}

bool is_multiple_choice(const json& c) { return c.at("question_type") == "multiple-choice"; }

MmmuSample sample_of(const json& c, const std::string& id) {
  MmmuSample s;
  s.id = id;
  s.question_type = c.at("question_type").get<std::string>();
  if (c.contains("options")) s.options = c.at("options").get<std::vector<std::string>>();
  s.answers = gold_of(c.at("gold"));
  return s;
}

// calculate_ins_level_acc for one subject: (correct / n) * n / n, as the official script evaluates it.
double one_subject_accuracy(std::size_t correct, std::size_t n) {
  return static_cast<double>(correct) / static_cast<double>(n) * static_cast<double>(n) / static_cast<double>(n);
}

}  // namespace

TEST_CASE("MMMU reference cases: parsed prediction and correctness as the official eval_utils.py gave",
          "[metrics][mmmu]") {
  const json cases = load("metrics/mmmu_cases.json").at("cases");
  REQUIRE(cases.size() == 18);  // others_spec.md says 35; the file holds 18 (4 real, 14 hand-made)
  for (const auto& c : cases) {
    INFO("case " << c.at("id").get<std::string>() << ": " << c.at("response").get<std::string>());
    const auto gold = gold_of(c.at("gold"));
    if (is_multiple_choice(c)) {
      const auto options = c.at("options").get<std::vector<std::string>>();
      CHECK(choice_letters(options.size()) == c.at("all_choices").get<std::vector<std::string>>());
      PythonRandom rng(42);  // the cases re-seed before every multiple-choice parse (rng_note)
      bool fell_back = false;
      const std::string response = c.at("response").get<std::string>();
      const std::string pred = parse_multi_choice_response(response, options, rng, &fell_back);
      CHECK(pred == c.at("parsed_pred").get<std::string>());
      CHECK(fell_back == c.at("random_fallback_used").get<bool>());
      CHECK(eval_multi_choice(gold, pred) == c.at("correct").get<bool>());
    } else {
      const auto preds = parse_open_response(c.at("response").get<std::string>());
      const auto expected = open_preds_of(c.at("parsed_pred"));
      INFO("got " << describe(preds) << ", expected " << describe(expected));
      CHECK(preds == expected);
      CHECK_FALSE(c.at("random_fallback_used").get<bool>());
      CHECK(eval_open(gold, preds) == c.at("correct").get<bool>());
    }
  }
}

TEST_CASE("MMMU reference cases scored in one run: fallbacks consume one seed-42 stream in sample order",
          "[metrics][mmmu]") {
  const json data = load("metrics/mmmu_cases.json");
  const json& cases = data.at("cases");
  // Every hand-made id is put in one subject (Math) so the expected accuracy is a plain count.
  std::vector<MmmuSample> samples;
  std::vector<std::string> responses;
  std::vector<double> expected;
  std::size_t fallbacks = 0, n_options = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    samples.push_back(sample_of(c, "validation_Math_" + std::to_string(i + 1)));
    responses.push_back(c.at("response").get<std::string>());
    bool correct = c.at("correct").get<bool>();
    if (c.at("random_fallback_used").get<bool>()) {
      // The k-th fallback gets the k-th draw, not the first one the case shows.
      if (n_options == 0) n_options = samples.back().options.size();
      REQUIRE(samples.back().options.size() == n_options);  // one choice sequence describes every draw
      const auto sequence = data.at("rng_reference")
                                .at("choice_sequence_n" + std::to_string(n_options) + "_after_seed42")
                                .get<std::vector<std::string>>();
      correct = eval_multi_choice(samples.back().answers, sequence.at(fallbacks));
      ++fallbacks;
    }
    expected.push_back(correct ? 1.0 : 0.0);
  }
  REQUIRE(fallbacks == 2);
  const auto result = mmmu_accuracy(samples, responses);
  REQUIRE(result.scores.size() == 1);
  const auto& accuracy = result.scores[0];
  CHECK(accuracy.name == "accuracy");
  CHECK(accuracy.per_sample == expected);
  const auto correct = static_cast<std::size_t>(std::count(expected.begin(), expected.end(), 1.0));
  CHECK(correct == 13);  // 12 non-fallback cases are correct, plus "none of these seem right" (2nd draw: A = gold)
  CHECK(accuracy.corpus == one_subject_accuracy(correct, expected.size()));
  CHECK(result.breakdown.at("subject/Math") == static_cast<double>(correct) / static_cast<double>(expected.size()));
  CHECK(result.breakdown.at("domain/Science") == accuracy.corpus);
  CHECK(result.breakdown.size() == 2);
  CHECK(result.notes.at("random_fallbacks") == 2);
  std::vector<std::size_t> all(samples.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  CHECK(accuracy.corpus_over(all) == accuracy.corpus);
}

TEST_CASE("MMMU sample: the head of llava1.5_13b's Electronics output, parsed as main_parse_and_eval.py does",
          "[metrics][mmmu]") {
  const json rows = load("metrics/samples/mmmu_example_output_llava_Electronics.head3.json");
  std::vector<MmmuSample> samples;
  std::vector<std::string> responses;
  for (const auto& row : rows) {
    MmmuSample s;
    s.id = row.at("id").get<std::string>();
    s.question_type = row.at("question_type").get<std::string>();
    if (row.contains("all_choices"))
      for (const auto& letter : row.at("all_choices"))
        s.options.push_back(row.at("index2ans").at(letter.get<std::string>()).get<std::string>());
    s.answers = {row.at("answer").get<std::string>()};
    samples.push_back(s);
    responses.push_back(row.at("response").get<std::string>());
  }
  // "B" vs gold A: wrong; open "0.5" vs 2.83: wrong; "C" vs gold C: right.
  const auto result = mmmu_accuracy(samples, responses);
  CHECK(result.scores[0].per_sample == std::vector<double>{0, 0, 1});
  CHECK(result.scores[0].corpus == 1.0 / 3.0);
  CHECK(result.breakdown.at("subject/Electronics") == 1.0 / 3.0);
  CHECK(result.breakdown.at("domain/Tech and Engineering") == 1.0 / 3.0);
  CHECK(result.notes.at("random_fallbacks") == 0);
}

TEST_CASE("MMMU main_eval_only.py: multiple-choice letters used as given, open answers still parsed",
          "[metrics][mmmu]") {
  const json answers = load("metrics/samples/mmmu_answer_dict_val.excerpt.json");
  const std::vector<std::pair<std::string, std::string>> predictions = {
      {"validation_Accounting_1", "B"},            // gold B: right
      {"validation_Accounting_2", "C"},            // gold C: right
      {"validation_Accounting_3", "A"},            // gold B: wrong
      {"validation_Accounting_4", "(D)"},          // gold D: wrong, not parsed
      {"validation_Accounting_5", "b"},            // gold B: wrong, case matters
      {"validation_Math_15", "approximately 3.429"},  // gold ["24/7", "3.429"]: 3.43 == 3.43, right
      {"validation_Geography_4", "It is in Florida."},  // gold ["Tampa", "Florida"]: "florida" in "in florida"
  };
  std::vector<MmmuSample> samples;
  std::vector<std::string> preds;
  for (const auto& [id, pred] : predictions) {
    const json& entry = answers.at(id);
    samples.push_back({id, entry.at("question_type").get<std::string>(), {}, gold_of(entry.at("ground_truth"))});
    preds.push_back(pred);
  }
  const auto result = mmmu_accuracy(samples, preds, MmmuInput::kPredictions);
  CHECK(result.scores[0].per_sample == std::vector<double>{1, 1, 0, 0, 0, 1, 1});
  // calculate_ins_level_acc in CAT_SHORT2LONG order: Accounting 0.4 * 5, Geography 1 * 1, Math 1 * 1, over 7.
  CHECK(result.scores[0].corpus == (0.4 * 5 + 1.0 + 1.0) / 7);
  CHECK(result.breakdown.at("subject/Accounting") == 0.4);
  CHECK(result.breakdown.at("subject/Math") == 1.0);
  CHECK(result.breakdown.at("subject/Geography") == 1.0);
  CHECK(result.breakdown.at("domain/Business") == 0.4);
  CHECK(result.breakdown.at("domain/Science") == 1.0);
  CHECK(result.notes.at("random_fallbacks") == 0);
}

TEST_CASE("MMMU multiple-choice parser: last occurrence wins, ties go to the first choice", "[metrics][mmmu]") {
  PythonRandom rng(42);
  const std::vector<std::string> organelles = {"nucleus", "mitochondrion", "ribosome", "golgi apparatus"};
  CHECK(parse_multi_choice_response("(A) is tempting, but (B) is right", organelles, rng) == "B");
  CHECK(parse_multi_choice_response("(B) and not A", organelles, rng) == "B");  // brackets beat bare letters
  // Content matching uses rfind of each option: "blue" last occurs inside "light blue", after "light blue" starts.
  const std::vector<std::string> colors = {"blue", "light blue"};
  CHECK(parse_multi_choice_response("the colour of the sky here is light blue", colors, rng) == "A");
  // Identical options match at the same place: np.argmax keeps the first.
  const std::vector<std::string> same = {"cat", "cat"};
  CHECK(parse_multi_choice_response("I think the answer must be the cat", same, rng) == "A");
  bool fell_back = true;
  CHECK(parse_multi_choice_response("B", organelles, rng, &fell_back) == "B");
  CHECK_FALSE(fell_back);
}

TEST_CASE("MMMU parsers never crash on empty input", "[metrics][mmmu]") {
  PythonRandom rng(42), untouched(42);
  bool fell_back = true;
  CHECK(parse_multi_choice_response("", {}, rng, &fell_back).empty());  // Python raises IndexError here
  CHECK_FALSE(fell_back);
  CHECK(rng.genrand_uint32() == untouched.genrand_uint32());  // nothing was drawn
  const std::vector<std::string> options = {"x", "y"};
  CHECK(parse_multi_choice_response("", options, rng, &fell_back) == "A");  // second draw for n = 2: A
  CHECK(fell_back);
  CHECK(parse_open_response("") == std::vector<OpenPred>{std::string()});
  CHECK_FALSE(eval_open(std::vector<std::string>{"x"}, parse_open_response("")));
  CHECK_FALSE(eval_multi_choice({}, "A"));
  const auto empty = mmmu_accuracy({}, {});
  CHECK(empty.scores[0].corpus == 0.0);
  CHECK(empty.breakdown.empty());
}

TEST_CASE("MMMU: responses must match samples one to one", "[metrics][mmmu]") {
  const std::vector<MmmuSample> samples(2);
  const std::vector<std::string> responses(1);
  CHECK_THROWS_AS(mmmu_accuracy(samples, responses), mmh::Error);
}

TEST_CASE("MMMU open parser: Python float(), str.lower() and normalize_str details", "[metrics][mmmu]") {
  // Expected values printed by CPython 3.11.
  CHECK(python_float("1_000") == 1000.0);
  CHECK_FALSE(python_float("1__000"));
  CHECK_FALSE(python_float("_1"));
  CHECK(python_float(" \u0663 ") == 3.0);  // ARABIC-INDIC DIGIT THREE
  CHECK(std::isinf(*python_float("-Infinity")));
  CHECK(std::isnan(*python_float("nan")));
  CHECK(python_float("5.") == 5.0);
  CHECK(python_float(".5e1") == 5.0);
  CHECK_FALSE(python_float("."));
  CHECK_FALSE(python_float("1e"));
  CHECK_FALSE(python_float("0x10"));
  CHECK(std::isinf(*python_float("1e500")));
  CHECK(python_lower("\u0130") == "i\u0307");                   // the one two-character mapping
  CHECK(python_lower("\u0391\u03A3 \u03A3\u0391") == "\u03b1\u03c2 \u03c3\u03b1");  // final sigma
  CHECK(python_lower("\u00C9T\u00C9") == "\u00e9t\u00e9");
  // normalize_str: numbers are rounded to 2 decimals, 1-character strings padded.
  CHECK(normalize_str(" 25.9365 ") == std::vector<OpenPred>{25.94});
  CHECK(normalize_str("1,000") == std::vector<OpenPred>{1000.0});
  CHECK(normalize_str("X") == std::vector<OpenPred>{std::string(" x"), std::string("x ")});
  // 0.004 and 0.0012 both round to 0.0, so they match (others_spec.md [ran]).
  CHECK(eval_open(std::vector<std::string>{"0.004"}, parse_open_response("0.0012")));
  // A numeric gold is only matched by a number: "4" is not found inside the string "four".
  CHECK_FALSE(eval_open(std::vector<std::string>{"4"}, parse_open_response("four")));
}
