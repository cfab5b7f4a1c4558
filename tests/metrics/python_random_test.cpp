#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/refdata.h"
#include "tasks/metrics/mmmu_parse.h"
#include "tasks/metrics/python_random.h"

using namespace mmh::metrics;

namespace {

nlohmann::json rng_reference() {
  std::ifstream in(mmh::test::refdata("metrics/mmmu_cases.json"));
  return nlohmann::json::parse(in).at("rng_reference");
}

}  // namespace

TEST_CASE("PythonRandom(42): the first getrandbits(32) outputs of CPython after random.seed(42)", "[metrics][rng]") {
  const auto expected = rng_reference().at("getrandbits32_after_seed42").get<std::vector<std::uint64_t>>();
  REQUIRE(expected.size() == 8);
  PythonRandom rng(42);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("draw " << i);
    CHECK(rng.getrandbits(32) == expected[i]);
  }
}

TEST_CASE("PythonRandom(42): random.choice letter sequences for n = 2..9", "[metrics][rng]") {
  const auto reference = rng_reference();
  for (std::size_t n = 2; n <= 9; ++n) {
    const auto expected =
        reference.at("choice_sequence_n" + std::to_string(n) + "_after_seed42").get<std::vector<std::string>>();
    REQUIRE(expected.size() == 20);
    const auto letters = choice_letters(n);
    PythonRandom rng(42);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      INFO("n = " << n << ", draw " << i);
      CHECK(letters[rng.randbelow(n)] == expected[i]);
    }
  }
}

TEST_CASE("PythonRandom: the spec's n = 4 sequence, written out", "[metrics][rng]") {
  // others_spec.md: "For n = 4 they are A A C B B B A A D A A A B B A B D B D C".
  const std::string expected = "AACBBBAADAAABBABDBDC";
  PythonRandom rng(42);
  std::string got;
  for (std::size_t i = 0; i < expected.size(); ++i) got += static_cast<char>('A' + rng.randbelow(4));
  CHECK(got == expected);
}

TEST_CASE("PythonRandom: getrandbits(k <= 32) keeps a word's top bits, k > 32 stacks words", "[metrics][rng]") {
  PythonRandom a(42), b(42);
  CHECK(a.getrandbits(0) == 0);                       // draws nothing (CPython >= 3.9)
  CHECK(a.getrandbits(5) == (b.genrand_uint32() >> 27));
  const std::uint64_t low = b.genrand_uint32(), high = b.genrand_uint32();
  CHECK(a.getrandbits(40) == (low | ((high >> 24) << 32)));  // first word least significant
  CHECK(a.randbelow(1) == 0);
}
