#pragma once
// CPython's `random` module generator (Modules/_randommodule.c), bit for bit:
// MT19937 seeded the way random.seed(int) seeds it (init_by_array over the
// integer's 32-bit words), getrandbits and Random._randbelow_with_getrandbits.
// Needed because the official MMMU evaluation falls back to random.choice.
#include <array>
#include <cstddef>
#include <cstdint>

namespace mmh::metrics {

class PythonRandom {
 public:
  // random.seed(seed) for a non-negative int below 2**32: init_by_array with key [seed].
  explicit PythonRandom(std::uint32_t seed);

  std::uint32_t genrand_uint32();
  // random.getrandbits(k) for 0 <= k <= 64 (words drawn least significant first, as CPython does).
  std::uint64_t getrandbits(int k);
  // Random._randbelow(n) for n > 0: rejection sampling on getrandbits(n.bit_length()).
  std::size_t randbelow(std::size_t n);

 private:
  static constexpr int kN = 624;
  void init_genrand(std::uint32_t s);
  void init_by_array(const std::uint32_t* key, std::size_t key_length);

  std::array<std::uint32_t, kN> state_{};
  int index_ = kN + 1;
};

}  // namespace mmh::metrics
