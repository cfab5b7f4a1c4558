#include "tasks/metrics/python_random.h"

#include <bit>
#include <stdexcept>

namespace mmh::metrics {

namespace {
constexpr int kM = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
constexpr std::uint32_t kUpperMask = 0x80000000U;
constexpr std::uint32_t kLowerMask = 0x7fffffffU;
}  // namespace

PythonRandom::PythonRandom(std::uint32_t seed) {
  // random_seed(): the absolute value as little-endian 32-bit words; 0 still gives the one-word key [0].
  const std::uint32_t key[1] = {seed};
  init_by_array(key, 1);
}

void PythonRandom::init_genrand(std::uint32_t s) {
  state_[0] = s;
  for (int i = 1; i < kN; ++i)
    state_[i] = 1812433253U * (state_[i - 1] ^ (state_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
  index_ = kN;
}

void PythonRandom::init_by_array(const std::uint32_t* key, std::size_t key_length) {
  init_genrand(19650218U);
  std::size_t i = 1, j = 0;
  for (std::size_t k = (kN > key_length ? kN : key_length); k; --k) {
    state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1664525U)) + key[j] +
                static_cast<std::uint32_t>(j);
    ++i;
    ++j;
    if (i >= kN) {
      state_[0] = state_[kN - 1];
      i = 1;
    }
    if (j >= key_length) j = 0;
  }
  for (std::size_t k = kN - 1; k; --k) {
    state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1566083941U)) - static_cast<std::uint32_t>(i);
    ++i;
    if (i >= kN) {
      state_[0] = state_[kN - 1];
      i = 1;
    }
  }
  state_[0] = 0x80000000U;  // MSB is 1, assuring a non-zero initial array
}

std::uint32_t PythonRandom::genrand_uint32() {
  static constexpr std::uint32_t mag01[2] = {0U, kMatrixA};
  if (index_ >= kN) {
    int kk = 0;
    for (; kk < kN - kM; ++kk) {
      const std::uint32_t y = (state_[kk] & kUpperMask) | (state_[kk + 1] & kLowerMask);
      state_[kk] = state_[kk + kM] ^ (y >> 1) ^ mag01[y & 1U];
    }
    for (; kk < kN - 1; ++kk) {
      const std::uint32_t y = (state_[kk] & kUpperMask) | (state_[kk + 1] & kLowerMask);
      state_[kk] = state_[kk + (kM - kN)] ^ (y >> 1) ^ mag01[y & 1U];
    }
    const std::uint32_t y = (state_[kN - 1] & kUpperMask) | (state_[0] & kLowerMask);
    state_[kN - 1] = state_[kM - 1] ^ (y >> 1) ^ mag01[y & 1U];
    index_ = 0;
  }
  std::uint32_t y = state_[index_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

std::uint64_t PythonRandom::getrandbits(int k) {
  if (k < 0 || k > 64) throw std::invalid_argument("PythonRandom::getrandbits: k must be in 0..64");
  if (k == 0) return 0;  // CPython >= 3.9
  if (k <= 32) return genrand_uint32() >> (32 - k);
  // _random_Random_getrandbits_impl: the first word drawn fills the least significant 32 bits.
  const std::uint64_t low = genrand_uint32();
  const std::uint64_t high = genrand_uint32() >> (64 - k);
  return low | (high << 32);
}

std::size_t PythonRandom::randbelow(std::size_t n) {
  if (n == 0) throw std::invalid_argument("PythonRandom::randbelow: n must be positive");
  const int k = std::bit_width(n);  // int.bit_length(); n itself, not n - 1, so n = 1 still draws
  std::uint64_t r = getrandbits(k);
  while (r >= n) r = getrandbits(k);
  return static_cast<std::size_t>(r);
}

}  // namespace mmh::metrics
