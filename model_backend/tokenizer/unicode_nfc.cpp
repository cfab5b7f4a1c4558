// NFC = canonical decomposition, canonical ordering of combining marks, then
// canonical composition (UAX #15). Hangul syllables are done arithmetically.
#include "model_backend/tokenizer/unicode_nfc.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model_backend/tokenizer/utf8.h"

namespace mmh::tokenizer {
namespace {

struct CombiningClassRange { char32_t first, last; std::uint8_t ccc; };
struct Decomposition { char32_t cp, first, second; };
struct Composition { char32_t first, second, composite; };
#include "model_backend/tokenizer/unicode_nfc_data.inc"

constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

std::uint8_t combining_class(char32_t cp) {
  if (cp < 0x300) return 0;
  const auto it = std::upper_bound(std::begin(kCombiningClasses), std::end(kCombiningClasses), cp,
                                   [](char32_t c, const CombiningClassRange& r) { return c < r.first; });
  if (it == std::begin(kCombiningClasses)) return 0;
  const auto& r = *(it - 1);
  return cp <= r.last ? r.ccc : 0;
}

void decompose(char32_t cp, std::vector<char32_t>& out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    const char32_t s = cp - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount) out.push_back(kTBase + s % kTCount);
    return;
  }
  const auto it = std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), cp,
                                   [](const Decomposition& d, char32_t c) { return d.cp < c; });
  if (it == std::end(kDecompositions) || it->cp != cp) {
    out.push_back(cp);
    return;
  }
  decompose(it->first, out);  // full decomposition is recursive
  if (it->second) decompose(it->second, out);
}

// The primary composite of (first, second), or 0.
char32_t compose(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount)
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 && second > kTBase &&
      second < kTBase + kTCount)
    return first + (second - kTBase);
  const auto key = std::pair{first, second};
  const auto it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions), key,
                                   [](const Composition& c, const std::pair<char32_t, char32_t>& k) {
                                     return std::pair{c.first, c.second} < k;
                                   });
  return it != std::end(kCompositions) && it->first == first && it->second == second ? it->composite : 0;
}

}  // namespace

const char* nfc_unicode_version() { return MMH_NFC_UNICODE_VERSION; }

std::string to_nfc(std::string_view text) {
  // Below U+0300 nothing decomposes into, or composes from, a different
  // sequence: every byte < 0xCC means every code point < U+0300.
  if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0xCC; }))
    return std::string(text);

  std::vector<char32_t> cps;
  cps.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) decompose(utf8::next(text, pos), cps);

  // Canonical ordering: stable sort of each run of non-starters by class.
  for (std::size_t i = 0; i < cps.size();) {
    if (combining_class(cps[i]) == 0) { ++i; continue; }
    std::size_t j = i;
    while (j < cps.size() && combining_class(cps[j]) != 0) ++j;
    std::stable_sort(cps.begin() + static_cast<std::ptrdiff_t>(i), cps.begin() + static_cast<std::ptrdiff_t>(j),
                     [](char32_t a, char32_t b) { return combining_class(a) < combining_class(b); });
    i = j;
  }

  // Canonical composition (UAX #15's reference loop): a mark joins the last
  // starter unless a mark of the same or higher class sits between them.
  std::vector<char32_t> out;
  out.reserve(cps.size());
  std::size_t starter = 0;
  int last_class = 256;  // no starter yet: nothing may compose
  for (char32_t cp : cps) {
    const int cls = combining_class(cp);
    if (!out.empty() && (last_class < cls || last_class == 0)) {
      if (const char32_t composite = compose(out[starter], cp)) {
        out[starter] = composite;
        continue;
      }
    }
    if (cls == 0) starter = out.size();
    last_class = out.empty() && cls != 0 ? 256 : cls;
    out.push_back(cp);
  }
  std::string result;
  result.reserve(text.size());
  for (char32_t cp : out) utf8::append(result, cp);
  return result;
}

}  // namespace mmh::tokenizer
