#include <catch2/catch.hpp>
#include <map>
#include <numeric>

#include "common/error.h"
#include "tasks/metrics/gqa.h"

using namespace mmh::metrics;

namespace {

// Six hand-made testdev-style questions; expected values follow eval.py (others_spec.md section 4):
// accuracy = mean of float(prediction == answer); "open" iff types.structural == "query", else "binary".
const std::vector<GqaSample> kSamples = {
    {"q1", "no", "verify", "attr"},
    {"q2", "yes", "verify", "rel"},
    {"q3", "light blue", "query", "attr"},
    {"q4", "left", "choose", "rel"},
    {"q5", "table", "query", "obj"},
    {"q6", "yes", "logical", "obj"},
};
const std::vector<std::string> kPredictions = {
    "no",          // exact: right
    "Yes.",        // case and period: wrong officially, right after LLaVA's rstrip('.').lower()
    "light-blue",  // wrong everywhere
    " left",       // leading space: wrong everywhere (nobody strips whitespace)
    "table",       // right
    "YES..",       // rstrip('.') removes every trailing period: right only in the variant
};

std::vector<std::size_t> all_indices(std::size_t n) {
  std::vector<std::size_t> v(n);
  std::iota(v.begin(), v.end(), std::size_t{0});
  return v;
}

}  // namespace

TEST_CASE("GQA official eval.py: exact string match, case and whitespace matter", "[metrics][gqa]") {
  const auto result = gqa_accuracy(kSamples, kPredictions);
  REQUIRE(result.scores.size() == 1);
  const auto& accuracy = result.scores[0];
  CHECK(accuracy.name == "accuracy");
  CHECK(accuracy.per_sample == std::vector<double>{1, 0, 0, 0, 1, 0});
  CHECK(accuracy.corpus == 2.0 / 6.0);  // q1, q5
  CHECK(accuracy.corpus_over(all_indices(kSamples.size())) == accuracy.corpus);
  const std::map<std::string, double> expected = {
      {"open", 1.0 / 2},                // q3 wrong, q5 right
      {"binary", 1.0 / 4},              // q1 right; q2, q4, q6 wrong
      {"structural/verify", 1.0 / 2},   // q1, q2
      {"structural/query", 1.0 / 2},    // q3, q5
      {"structural/choose", 0.0},       // q4
      {"structural/logical", 0.0},      // q6
      {"semantic/attr", 1.0 / 2},       // q1, q3
      {"semantic/rel", 0.0},            // q2, q4
      {"semantic/obj", 1.0 / 2},        // q5, q6
  };
  CHECK(result.breakdown == expected);
}

TEST_CASE("GQA LLaVA variant: rstrip('.') and lower() before the official comparison", "[metrics][gqa]") {
  const auto result = gqa_accuracy(kSamples, kPredictions, GqaMatch::kLowerTrailingPeriod);
  const auto& accuracy = result.scores[0];
  CHECK(accuracy.per_sample == std::vector<double>{1, 1, 0, 0, 1, 1});
  CHECK(accuracy.corpus == 4.0 / 6.0);  // q1, q2, q5, q6
  const std::map<std::string, double> expected = {
      {"open", 1.0 / 2},                // q5
      {"binary", 3.0 / 4},              // q1, q2, q6
      {"structural/verify", 1.0},       // q1, q2
      {"structural/query", 1.0 / 2},    // q5
      {"structural/choose", 0.0},       // q4 keeps its leading space
      {"structural/logical", 1.0},      // q6
      {"semantic/attr", 1.0 / 2},       // q1
      {"semantic/rel", 1.0 / 2},        // q2
      {"semantic/obj", 1.0},            // q5, q6
  };
  CHECK(result.breakdown == expected);
}

TEST_CASE("GQA: the variant lowers Unicode like Python's str.lower()", "[metrics][gqa]") {
  const std::vector<GqaSample> samples = {{"q", "caf\u00e9", "query", "obj"}};
  CHECK(gqa_accuracy(samples, std::vector<std::string>{"CAF\u00c9."}, GqaMatch::kLowerTrailingPeriod)
            .scores[0].corpus == 1.0);
  CHECK(gqa_accuracy(samples, std::vector<std::string>{"CAF\u00c9."}).scores[0].corpus == 0.0);
}

TEST_CASE("GQA: empty input scores 0 like eval.py's avg([]), and mismatched sizes throw", "[metrics][gqa]") {
  const auto empty = gqa_accuracy({}, {});
  CHECK(empty.scores[0].corpus == 0.0);
  CHECK(empty.breakdown.at("open") == 0.0);
  CHECK(empty.breakdown.at("binary") == 0.0);
  CHECK(empty.breakdown.size() == 2);
  CHECK_THROWS_AS(gqa_accuracy(kSamples, std::vector<std::string>{"no"}), mmh::Error);
}
