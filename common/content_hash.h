#pragma once
// Content digests for caching and provenance: XXH64 (Yann Collet's
// xxHash, 64-bit), fast enough to hash a 14 GB checkpoint in seconds. Not
// cryptographic: it detects changed content, not a forger.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace mmh {

std::uint64_t xxh64(const void* data, std::size_t size, std::uint64_t seed = 0);
inline std::uint64_t xxh64(std::string_view text, std::uint64_t seed = 0) {
  return xxh64(text.data(), text.size(), seed);
}

// A file's digest: XXH64 of each 64 MiB chunk (hashed on all cores), then
// XXH64 of those chunk digests with the file size as seed. mmh::Error naming
// the file when it cannot be read.
std::uint64_t hash_file(const std::filesystem::path& path);

// 16 lowercase hex digits.
std::string hex64(std::uint64_t value);

// Accumulates named parts into one digest; each part is length-prefixed, so
// ("ab","c") and ("a","bc") differ.
class DigestBuilder {
 public:
  DigestBuilder& add(std::string_view part);
  DigestBuilder& add(std::uint64_t value);
  std::string hex() const;  // XXH64 of everything added
 private:
  std::string bytes_;
};

}  // namespace mmh
