#include "common/content_hash.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "common/error.h"

namespace mmh {
namespace {

constexpr std::uint64_t P1 = 11400714785074694791ull, P2 = 14029467366897019727ull, P3 = 1609587929392839161ull,
                        P4 = 9650029242287828579ull, P5 = 2870177450012600261ull;

std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
std::uint64_t read64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian hosts only (x86-64, aarch64), as everything else here
}
std::uint32_t read32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
std::uint64_t xxh_round(std::uint64_t acc, std::uint64_t input) { return rotl(acc + input * P2, 31) * P1; }
std::uint64_t merge_round(std::uint64_t acc, std::uint64_t val) { return (acc ^ xxh_round(0, val)) * P1 + P4; }

constexpr std::size_t kChunk = 64u << 20;

}  // namespace

std::uint64_t xxh64(const void* data, std::size_t size, std::uint64_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  const unsigned char* end = p + size;
  std::uint64_t h;
  if (size >= 32) {
    std::uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
    for (; p + 32 <= end; p += 32) {
      v1 = xxh_round(v1, read64(p));
      v2 = xxh_round(v2, read64(p + 8));
      v3 = xxh_round(v3, read64(p + 16));
      v4 = xxh_round(v4, read64(p + 24));
    }
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
    h = merge_round(merge_round(merge_round(merge_round(h, v1), v2), v3), v4);
  } else {
    h = seed + P5;
  }
  h += size;
  for (; p + 8 <= end; p += 8) h = rotl(h ^ xxh_round(0, read64(p)), 27) * P1 + P4;
  if (p + 4 <= end) {
    h = rotl(h ^ (std::uint64_t(read32(p)) * P1), 23) * P2 + P3;
    p += 4;
  }
  for (; p < end; ++p) h = rotl(h ^ (*p * P5), 11) * P1;
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

std::uint64_t hash_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path.string(), std::string("cannot be read: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(path.string(), "is not a regular file");
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  std::vector<std::uint64_t> chunks((size + kChunk - 1) / kChunk);
  if (size > 0) {
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      ::close(fd);
      throw Error(path.string(), std::string("cannot be mapped: ") + std::strerror(errno));
    }
    const auto* bytes = static_cast<const unsigned char*>(map);
    const std::size_t workers =
        std::min<std::size_t>(chunks.size(), std::max(1u, std::thread::hardware_concurrency()));
    auto work = [&](std::size_t first) {
      for (std::size_t c = first; c < chunks.size(); c += workers)
        chunks[c] = xxh64(bytes + c * kChunk, std::min(kChunk, size - c * kChunk));
    };
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work, w);
    work(0);
    for (auto& t : threads) t.join();
    ::munmap(map, size);
  }
  ::close(fd);
  return xxh64(chunks.data(), chunks.size() * sizeof(std::uint64_t), size);
}

std::string hex64(std::uint64_t value) {
  static const char* digits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) out[i] = digits[value & 15];
  return out;
}

DigestBuilder& DigestBuilder::add(std::string_view part) {
  add(static_cast<std::uint64_t>(part.size()));
  bytes_.append(part);
  return *this;
}

DigestBuilder& DigestBuilder::add(std::uint64_t value) {
  char raw[8];
  std::memcpy(raw, &value, 8);
  bytes_.append(raw, 8);
  return *this;
}

std::string DigestBuilder::hex() const { return hex64(xxh64(bytes_)); }

}  // namespace mmh
