#pragma once
// The demo's random numbers: SplitMix64 with its own integer draws, because
// the standard distributions differ between standard libraries and the demo
// data must be byte-identical for the same seed everywhere.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace mmh::demo {

class DemoRandom {
 public:
  // One independent stream per (seed, purpose): "coco", "vqav2 val", ...
  DemoRandom(std::uint64_t seed, std::string_view stream) : state_(seed ^ fnv1a(stream)) { next(); }

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) for n > 0 (rejection, no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = ~0ull - (~0ull % n);
    std::uint64_t x;
    do x = next();
    while (x >= limit);
    return x % n;
  }
  int between(int low, int high) { return low + static_cast<int>(below(static_cast<std::uint64_t>(high - low + 1))); }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }
  template <typename T>
  void shuffle(std::vector<T>& items) {  // Fisher-Yates
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

 private:
  static std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
    return h;
  }
  std::uint64_t state_;
};

}  // namespace mmh::demo
