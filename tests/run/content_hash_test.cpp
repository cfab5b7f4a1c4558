// XXH64 against the reference implementation's published values; file digests.
#include <catch2/catch.hpp>

#include "common/content_hash.h"
#include "common/error.h"
#include "support/temp_dir.h"

TEST_CASE("content hash: XXH64 equals the reference implementation", "[hash]") {
  // Values printed by xxhsum -H1 (xxHash 0.8) / python-xxhash.
  CHECK(mmh::xxh64("") == 0xEF46DB3751D8E999ull);
  CHECK(mmh::xxh64("a") == 0xD24EC4F1A98C6E5Bull);
  CHECK(mmh::xxh64("abc") == 0x44BC2CF5AD770999ull);
  CHECK(mmh::xxh64("Nobody inspects the spammish repetition") == 0xFBCEA83C8A378BF1ull);
  CHECK(mmh::hex64(0xEF46DB3751D8E999ull) == "ef46db3751d8e999");
}

TEST_CASE("content hash: a file's digest follows its content, not its name", "[hash]") {
  mmh::test::TempDir dir;
  std::string big(3 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>(i / 4096);
  mmh::test::write_file(dir / "a.bin", big);
  mmh::test::write_file(dir / "b.bin", big);
  CHECK(mmh::hash_file(dir / "a.bin") == mmh::hash_file(dir / "b.bin"));
  big[big.size() / 2] ^= 1;
  mmh::test::write_file(dir / "b.bin", big);
  CHECK(mmh::hash_file(dir / "a.bin") != mmh::hash_file(dir / "b.bin"));
  mmh::test::write_file(dir / "empty.bin", "");
  CHECK(mmh::hash_file(dir / "empty.bin") != mmh::hash_file(dir / "a.bin"));
  CHECK_THROWS_AS(mmh::hash_file(dir / "missing.bin"), mmh::Error);
  CHECK_THROWS_AS(mmh::hash_file(dir.path()), mmh::Error);
}

TEST_CASE("content hash: parts are length-prefixed", "[hash]") {
  CHECK(mmh::DigestBuilder().add("ab").add("c").hex() != mmh::DigestBuilder().add("a").add("bc").hex());
  CHECK(mmh::DigestBuilder().add("ab").add("c").hex() == mmh::DigestBuilder().add("ab").add("c").hex());
}
