#include "model_backend/io/safetensors.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "support/refdata.h"
#include "support/temp_dir.h"

using namespace mmh::weights;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// The message of the mmh::Error `action` throws; any other exception escapes and fails the test.
std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const mmh::Error& e) {
    return e.what();
  }
  FAIL("expected an mmh::Error, none was thrown");
  return {};
}

std::string open_error(const fs::path& path) {
  return error_of([&] { SafetensorsFile::open(path); });
}

std::string le64(std::uint64_t n) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(n >> (8 * i) & 0xff);
  return bytes;
}

// A file with a hand-written header, for inputs write_safetensors refuses to produce.
fs::path write_raw(const fs::path& path, const std::string& header, std::size_t data_bytes) {
  mmh::test::write_file(path, le64(header.size()) + header + std::string(data_bytes, '\x01'));
  return path;
}

bool within(const TensorView& t, std::span<const std::byte> mapping) {
  return t.data >= mapping.data() && t.data + t.nbytes <= mapping.data() + mapping.size();
}

std::uint32_t float_bits(float f) {
  std::uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return bits;
}

// IEEE 754 binary16 / bfloat16 straight from the definitions: sign, biased
// exponent, fraction; exponent 0 is subnormal, all ones is inf or nan.
double decode_by_definition(std::uint16_t bits, int exponent_bits, int fraction_bits) {
  const int bias = (1 << (exponent_bits - 1)) - 1;
  const int exponent = bits >> fraction_bits & ((1 << exponent_bits) - 1);
  const int fraction = bits & ((1 << fraction_bits) - 1);
  const double sign = bits >> 15 ? -1.0 : 1.0;
  if (exponent == (1 << exponent_bits) - 1)
    return fraction ? std::numeric_limits<double>::quiet_NaN() : sign * std::numeric_limits<double>::infinity();
  if (exponent == 0) return sign * std::ldexp(fraction, 1 - bias - fraction_bits);
  return sign * std::ldexp((1 << fraction_bits) + fraction, exponent - bias - fraction_bits);
}

// fp32 -> bf16 with round to nearest, ties to even, on the bits (no nan in the checkpoints).
std::uint16_t bf16_round_nearest_even(float f) {
  const std::uint32_t bits = float_bits(f);
  return static_cast<std::uint16_t>((bits + 0x7fff + (bits >> 16 & 1)) >> 16);
}

// Three small tensors: the base file of the robustness tests.
fs::path write_small_file(const fs::path& path) {
  static const std::vector<float> weight = {1.5f, -2.0f, 0.25f, 8.0f, 3.0f, -0.5f};
  static const std::vector<std::uint16_t> bias = {0x3f80, 0xc000};
  static const std::vector<std::int64_t> ids = {7, -3, 42};
  write_safetensors(path,
                    {{"weight", DType::kF32, {2, 3}, weight.data(), 24},
                     {"bias", DType::kBF16, {2}, bias.data(), 4},
                     {"ids", DType::kI64, {3}, ids.data(), 24}},
                    {{"format", "pt"}, {"origin", "unit test"}});
  return path;
}

fs::path write_f32(const fs::path& path, const std::vector<std::pair<std::string, std::vector<float>>>& tensors) {
  std::vector<TensorToWrite> out;
  for (const auto& [name, values] : tensors)
    out.push_back({name, DType::kF32, {std::int64_t(values.size())}, values.data(), values.size() * 4});
  write_safetensors(path, out);
  return path;
}

}  // namespace

// ---- round trip ---------------------------------------------------------------------------

TEST_CASE("safetensors: every dtype round-trips, zero-copy, sorted by name", "[weights][safetensors]") {
  mmh::test::TempDir dir;
  const std::vector<double> f64 = {1.0, -2.5, 3.25, 1e300, -0.0, 6.0};
  const float f32 = 3.5f;  // scalar
  const std::vector<std::uint16_t> f16 = {0x3c00, 0xc000, 0x7bff, 0x0001};
  const std::vector<std::int64_t> i64 = {std::numeric_limits<std::int64_t>::min(), 0, 1234567};
  const std::vector<std::int32_t> i32 = {-1, 2, -3, 4};
  const std::vector<std::int16_t> i16 = {-32768, 32767, 0, 5, -5};
  const std::vector<std::uint8_t> u8 = {0, 128, 255};
  const std::vector<std::uint8_t> flags = {1, 0, 0, 1};
  // Written out of name order, with empty tensors placed right before a
  // tensor whose name sorts first: they share its begin offset.
  const std::vector<TensorToWrite> written = {
      {"z.f64", DType::kF64, {2, 3}, f64.data(), 48},     {"y.f32_scalar", DType::kF32, {}, &f32, 4},
      {"x.bf16_empty", DType::kBF16, {2, 0}, nullptr, 0}, {"c.f16", DType::kF16, {4}, f16.data(), 8},
      {"w.i8_empty", DType::kI8, {0}, nullptr, 0},        {"b.i64", DType::kI64, {3}, i64.data(), 24},
      {"v.i32", DType::kI32, {2, 2}, i32.data(), 16},     {"u.i16", DType::kI16, {5}, i16.data(), 10},
      {"t.u8", DType::kU8, {3, 1}, u8.data(), 3},         {"a.bool", DType::kBool, {4}, flags.data(), 4},
  };
  const auto path = dir / "all.safetensors";
  write_safetensors(path, written, {{"format", "pt"}, {"note", "round trip"}});

  const auto file = SafetensorsFile::open(path);
  CHECK(file->path() == path);
  CHECK(file->metadata() == std::map<std::string, std::string>{{"format", "pt"}, {"note", "round trip"}});
  REQUIRE(file->tensors().size() == written.size());
  for (std::size_t i = 1; i < file->tensors().size(); ++i) CHECK(file->tensors()[i - 1].name < file->tensors()[i].name);
  const auto mapping = file->mapping();
  CHECK(mapping.size() == fs::file_size(path));
  for (const auto& w : written) {
    INFO(w.name);
    const TensorView* t = file->find(w.name);
    REQUIRE(t);
    CHECK(t->name == w.name);
    CHECK(t->dtype == w.dtype);
    CHECK(t->shape == w.shape);
    CHECK(t->nbytes == w.nbytes);
    CHECK(t->file != nullptr);
    CHECK(*t->file == path);
    CHECK(within(*t, mapping));  // a view into the mapping, not a copy
    if (w.nbytes > 0) CHECK(std::memcmp(t->data, w.data, w.nbytes) == 0);
  }
  CHECK(file->find("no.such.tensor") == nullptr);

  CHECK(file->find("y.f32_scalar")->numel() == 1);
  CHECK(file->find("x.bf16_empty")->numel() == 0);
  CHECK(to_float(*file->find("x.bf16_empty")).empty());
  CHECK(to_float(*file->find("y.f32_scalar")) == std::vector<float>{3.5f});
  CHECK(to_float(*file->find("z.f64")) == std::vector<float>{1.0f, -2.5f, 3.25f, INFINITY, -0.0f, 6.0f});
  CHECK(to_float(*file->find("c.f16")) == std::vector<float>{1.0f, -2.0f, 65504.0f, std::ldexp(1.0f, -24)});
  CHECK(to_float(*file->find("b.i64")) == std::vector<float>{-9223372036854775808.0f, 0.0f, 1234567.0f});
  CHECK(to_float(*file->find("v.i32")) == std::vector<float>{-1, 2, -3, 4});
  CHECK(to_float(*file->find("u.i16")) == std::vector<float>{-32768, 32767, 0, 5, -5});
  CHECK(to_float(*file->find("t.u8")) == std::vector<float>{0, 128, 255});
  CHECK(to_float(*file->find("a.bool")) == std::vector<float>{1, 0, 0, 1});
}

TEST_CASE("safetensors: dtype names and sizes match the format", "[weights][safetensors]") {
  const std::vector<std::tuple<DType, std::string, std::size_t>> expected = {
      {DType::kF64, "F64", 8}, {DType::kF32, "F32", 4},  {DType::kF16, "F16", 2}, {DType::kBF16, "BF16", 2},
      {DType::kI64, "I64", 8}, {DType::kI32, "I32", 4},  {DType::kI16, "I16", 2}, {DType::kI8, "I8", 1},
      {DType::kU8, "U8", 1},   {DType::kBool, "BOOL", 1}};
  for (const auto& [dtype, name, size] : expected) {
    CHECK(dtype_name(dtype) == name);
    CHECK(dtype_size(dtype) == size);
  }
}

TEST_CASE("safetensors: header is padded to 8 bytes and metadata is optional", "[weights][safetensors]") {
  mmh::test::TempDir dir;
  const float value = 1.0f;
  const auto path = dir / "plain.safetensors";
  write_safetensors(path, {{"w", DType::kF32, {1}, &value, 4}}, {});
  const std::string bytes = mmh::test::read_file(path);
  std::uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = header_len << 8 | static_cast<unsigned char>(bytes[i]);
  CHECK(header_len % 8 == 0);
  CHECK(bytes.size() == 8 + header_len + 4);
  CHECK(bytes.find("__metadata__") == std::string::npos);
  const auto file = SafetensorsFile::open(path);
  CHECK(file->metadata().empty());
  CHECK(file->tensors().size() == 1);
  CHECK_FALSE(fs::exists(path.string() + ".tmp"));
}

TEST_CASE("safetensors: write_safetensors refuses inconsistent tensors", "[weights][safetensors]") {
  mmh::test::TempDir dir;
  const std::vector<float> values(4, 0.0f);
  const auto path = dir / "bad.safetensors";
  CHECK_THAT(error_of([&] {
               write_safetensors(path, {{"w", DType::kF32, {3}, values.data(), 16}});
             }),
             Contains("bad.safetensors") && Contains("\"w\"") && Contains("does not match its shape"));
  CHECK_THAT(error_of([&] {
               write_safetensors(
                   path, {{"w", DType::kF32, {2}, values.data(), 8}, {"w", DType::kF32, {2}, values.data() + 2, 8}});
             }),
             Contains("bad.safetensors") && Contains("\"w\"") && Contains("repeated"));
  CHECK_FALSE(fs::exists(path));
}

// ---- f16 / bf16 ---------------------------------------------------------------------------

TEST_CASE("safetensors: f16 and bf16 known bit patterns", "[weights][safetensors][convert]") {
  CHECK(f16_to_float(0x3c00) == 1.0f);
  CHECK(f16_to_float(0xc000) == -2.0f);
  CHECK(f16_to_float(0x7bff) == 65504.0f);                  // largest finite: (2 - 2^-10) * 2^15
  CHECK(f16_to_float(0x0001) == std::ldexp(1.0f, -24));     // smallest subnormal
  CHECK(f16_to_float(0x03ff) == std::ldexp(1023.0f, -24));  // largest subnormal
  CHECK(f16_to_float(0x0400) == std::ldexp(1.0f, -14));     // smallest normal
  CHECK(f16_to_float(0x7c00) == std::numeric_limits<float>::infinity());
  CHECK(f16_to_float(0xfc00) == -std::numeric_limits<float>::infinity());
  CHECK(std::isnan(f16_to_float(0x7e00)));
  CHECK(std::isnan(f16_to_float(0x7c01)));  // signalling nan stays nan, not inf
  CHECK(f16_to_float(0x8000) == 0.0f);
  CHECK(std::signbit(f16_to_float(0x8000)));

  CHECK(bf16_to_float(0x3f80) == 1.0f);
  CHECK(bf16_to_float(0xc000) == -2.0f);
  CHECK(bf16_to_float(0x477f) == 65280.0f);                 // 65504 is not a bf16: its neighbour below
  CHECK(bf16_to_float(0x0001) == std::ldexp(1.0f, -133));   // smallest subnormal: 2^-126 * 2^-7
  CHECK(bf16_to_float(0x3380) == std::ldexp(1.0f, -24));    // 2^-24 is a normal bf16
  CHECK(bf16_to_float(0x7f7f) == std::ldexp(255.0f, 120));  // largest finite: (2 - 2^-7) * 2^127
  CHECK(bf16_to_float(0x7f80) == std::numeric_limits<float>::infinity());
  CHECK(bf16_to_float(0xff80) == -std::numeric_limits<float>::infinity());
  CHECK(std::isnan(bf16_to_float(0x7fc0)));
  CHECK(bf16_to_float(0x8000) == 0.0f);
  CHECK(std::signbit(bf16_to_float(0x8000)));
}

TEST_CASE("safetensors: all 65536 f16 and bf16 patterns match the IEEE definitions",
          "[weights][safetensors][convert]") {
  int f16_wrong = 0, bf16_wrong = 0;
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const auto h = static_cast<std::uint16_t>(bits);
    const double f16_expected = decode_by_definition(h, 5, 10), bf16_expected = decode_by_definition(h, 8, 7);
    const float f16 = f16_to_float(h), bf16 = bf16_to_float(h);
    // Every f16 and bf16 value is exactly representable in float: compare exactly, nan with nan.
    if (std::isnan(f16_expected) ? !std::isnan(f16)
                                 : (f16 != f16_expected || std::signbit(f16) != std::signbit(f16_expected)))
      ++f16_wrong;
    if (std::isnan(bf16_expected) ? !std::isnan(bf16)
                                  : (bf16 != bf16_expected || std::signbit(bf16) != std::signbit(bf16_expected)))
      ++bf16_wrong;
  }
  CHECK(f16_wrong == 0);
  CHECK(bf16_wrong == 0);
}

// ---- bad input ----------------------------------------------------------------------------

TEST_CASE("safetensors: files too short for the header", "[weights][safetensors][errors]") {
  mmh::test::TempDir dir;
  mmh::test::write_file(dir / "empty.safetensors", "");
  CHECK_THAT(open_error(dir / "empty.safetensors"), Contains("empty.safetensors") && Contains("truncated: 0 bytes"));
  mmh::test::write_file(dir / "five.safetensors", std::string("\x10\0\0\0\0", 5));
  CHECK_THAT(open_error(dir / "five.safetensors"), Contains("five.safetensors") && Contains("truncated: 5 bytes"));
  mmh::test::write_file(dir / "short_header.safetensors", le64(100) + "{\"a\": 1}");
  CHECK_THAT(open_error(dir / "short_header.safetensors"),
             Contains("short_header.safetensors") && Contains("truncated") && Contains("declares 100 bytes"));
  // The limit is checked before the size, so a random binary is named as "not a safetensors file".
  mmh::test::write_file(dir / "huge_header.safetensors", le64(200'000'000) + std::string(64, ' '));
  CHECK_THAT(open_error(dir / "huge_header.safetensors"),
             Contains("huge_header.safetensors") && Contains("exceeds the 100000000-byte limit"));
  mmh::test::write_file(dir / "max_header.safetensors", le64(~std::uint64_t{0}) + "{}");
  CHECK_THAT(open_error(dir / "max_header.safetensors"), Contains("max_header.safetensors") && Contains("limit"));
}

TEST_CASE("safetensors: malformed or misshapen JSON headers", "[weights][safetensors][errors]") {
  mmh::test::TempDir dir;
  CHECK_THAT(open_error(write_raw(dir / "bad_json.safetensors", "{\"w\": {\"dtype\": ", 0)),
             Contains("bad_json.safetensors") && Contains("malformed JSON header"));
  CHECK_THAT(open_error(write_raw(dir / "empty_header.safetensors", "", 0)),
             Contains("empty_header.safetensors") && Contains("malformed JSON header"));
  CHECK_THAT(open_error(write_raw(dir / "trailing.safetensors", "{} x", 0)),
             Contains("trailing.safetensors") && Contains("malformed JSON header"));
  // Not a parse_error in nlohmann (out_of_range): must still be an mmh::Error.
  CHECK_THAT(open_error(write_raw(dir / "overflow.safetensors", "{\"__metadata__\": {}, \"x\": 1e999}", 0)),
             Contains("overflow.safetensors") && Contains("malformed JSON header"));
  CHECK_THAT(open_error(write_raw(dir / "not_utf8.safetensors", "{\"w\xff\": 1}", 0)),
             Contains("not_utf8.safetensors") && Contains("malformed JSON header"));
  CHECK_THAT(open_error(write_raw(dir / "array.safetensors", "[1, 2]", 0)),
             Contains("array.safetensors") && Contains("not a JSON object"));
  CHECK_THAT(open_error(write_raw(dir / "duplicate.safetensors",
                                  R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},)"
                                  R"( "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
                                  8)),
             Contains("duplicate.safetensors") && Contains("\"w\" twice"));
  CHECK_THAT(open_error(write_raw(dir / "meta_list.safetensors", R"({"__metadata__": ["pt"]})", 0)),
             Contains("meta_list.safetensors") && Contains("__metadata__ is not an object"));
  CHECK_THAT(open_error(write_raw(dir / "meta_value.safetensors", R"({"__metadata__": {"format": 1}})", 0)),
             Contains("meta_value.safetensors") && Contains("__metadata__ value \"format\" is not a string"));
}

TEST_CASE("safetensors: tensor entries with missing or invalid fields", "[weights][safetensors][errors]") {
  mmh::test::TempDir dir;
  const std::vector<std::pair<std::string, std::string>> missing = {
      {"no_dtype", R"({"w": {"shape": [1], "data_offsets": [0, 4]}})"},
      {"no_shape", R"({"w": {"dtype": "F32", "data_offsets": [0, 4]}})"},
      {"no_offsets", R"({"w": {"dtype": "F32", "shape": [1]}})"},
      {"not_object", R"({"w": [1, 2]})"},
  };
  for (const auto& [name, header] : missing)
    CHECK_THAT(
        open_error(write_raw(dir / (name + ".safetensors"), header, 4)),
        Contains(name + ".safetensors") && Contains("tensor \"w\"") && Contains("needs dtype, shape and data_offsets"));

  CHECK_THAT(open_error(write_raw(dir / "f8.safetensors",
                                  R"({"w": {"dtype": "F8_E9", "shape": [4], "data_offsets": [0, 4]}})", 4)),
             Contains("f8.safetensors") && Contains("tensor \"w\"") && Contains("unknown dtype \"F8_E9\"") &&
                 Contains("supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL"));
  CHECK_THAT(open_error(write_raw(dir / "dtype_num.safetensors",
                                  R"({"w": {"dtype": 4, "shape": [1], "data_offsets": [0, 4]}})", 4)),
             Contains("dtype_num.safetensors") && Contains("tensor \"w\"") && Contains("dtype is not a string"));
  CHECK_THAT(open_error(write_raw(dir / "negative.safetensors",
                                  R"({"w": {"dtype": "F32", "shape": [2, -2], "data_offsets": [0, 16]}})", 16)),
             Contains("negative.safetensors") && Contains("tensor \"w\"") && Contains("negative dimension -2"));
  CHECK_THAT(
      open_error(write_raw(dir / "huge_dim.safetensors",
                           R"({"w": {"dtype": "F32", "shape": [18446744073709551615], "data_offsets": [0, 4]}})", 4)),
      Contains("huge_dim.safetensors") && Contains("tensor \"w\"") && Contains("too large"));
  CHECK_THAT(
      open_error(write_raw(dir / "overflow_shape.safetensors",
                           R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 4]}})", 4)),
      Contains("overflow_shape.safetensors") && Contains("tensor \"w\"") && Contains("overflows"));
  CHECK_THAT(open_error(write_raw(dir / "float_dim.safetensors",
                                  R"({"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}})", 4)),
             Contains("float_dim.safetensors") && Contains("tensor \"w\"") && Contains("non-integer"));
  CHECK_THAT(open_error(write_raw(dir / "neg_offset.safetensors",
                                  R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}})", 4)),
             Contains("neg_offset.safetensors") && Contains("tensor \"w\"") && Contains("non-negative integers"));
  CHECK_THAT(open_error(write_raw(dir / "three_offsets.safetensors",
                                  R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}})", 8)),
             Contains("three_offsets.safetensors") && Contains("tensor \"w\"") && Contains("[begin, end]"));
  CHECK_THAT(open_error(write_raw(dir / "reversed.safetensors",
                                  R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})", 8)),
             Contains("reversed.safetensors") && Contains("tensor \"w\"") && Contains("begin > end"));
  CHECK_THAT(
      open_error(write_raw(dir / "past_end.safetensors",
                           R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})", 4)),
      Contains("past_end.safetensors") && Contains("tensor \"w\"") && Contains("run past the data section (4 bytes)"));
  CHECK_THAT(open_error(write_raw(dir / "count.safetensors",
                                  R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}})", 8)),
             Contains("count.safetensors") && Contains("tensor \"w\"") &&
                 Contains("holds 4 bytes but its dtype and shape need 8"));
  CHECK_THAT(open_error(write_raw(dir / "overlap.safetensors",
                                  R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},)"
                                  R"( "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})",
                                  12)),
             Contains("overlap.safetensors") && Contains("\"a\" and \"b\" overlap"));
  CHECK_THAT(open_error(write_raw(dir / "same_range.safetensors",
                                  R"({"a": {"dtype": "I32", "shape": [1], "data_offsets": [0, 4]},)"
                                  R"( "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})",
                                  4)),
             Contains("same_range.safetensors") && Contains("overlap"));
}

TEST_CASE("safetensors: an empty tensor sharing an offset is not an overlap", "[weights][safetensors]") {
  mmh::test::TempDir dir;
  // "b" (empty) sorts after "a" but starts where "a" starts, as writers lay it out.
  const auto path = write_raw(dir / "empty_first.safetensors",
                              R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},)"
                              R"( "b": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]},)"
                              R"( "c": {"dtype": "F32", "shape": [3, 0], "data_offsets": [2, 2]}})",
                              4);
  const auto file = SafetensorsFile::open(path);
  REQUIRE(file->tensors().size() == 3);
  CHECK(file->find("b")->nbytes == 0);
  CHECK(file->find("c")->shape == std::vector<std::int64_t>{3, 0});
}

TEST_CASE("safetensors: truncated file, directory, missing file", "[weights][safetensors][errors]") {
  mmh::test::TempDir dir;
  const auto path = write_small_file(dir / "chopped.safetensors");
  fs::resize_file(path, fs::file_size(path) - 3);
  CHECK_THAT(open_error(path), Contains("chopped.safetensors") && Contains("tensor \"") &&
                                   Contains("run past the data section") && Contains("truncated file?"));

  fs::create_directories(dir / "folder.safetensors");
  CHECK_THAT(open_error(dir / "folder.safetensors"), Contains("folder.safetensors") && Contains("not a regular file"));
  CHECK_THAT(open_error(dir / "absent.safetensors"),
             Contains("absent.safetensors") && Contains("cannot open") && Contains("No such file"));
}

// ---- robustness ---------------------------------------------------------------------------

TEST_CASE("safetensors: every truncation and random header corruptions fail cleanly", "[weights][safetensors][fuzz]") {
  mmh::test::TempDir dir;
  const std::string original = mmh::test::read_file(write_small_file(dir / "base.safetensors"));
  std::uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = header_len << 8 | static_cast<unsigned char>(original[i]);
  REQUIRE(8 + header_len < original.size());
  const auto path = dir / "case.safetensors";

  // The last tensor ends at the end of the file, so every shorter prefix is invalid.
  int truncations_rejected = 0;
  for (std::size_t length = 0; length < original.size(); ++length) {
    mmh::test::write_file(path, original.substr(0, length));
    INFO("truncated to " << length << " bytes");
    CHECK_THAT(open_error(path), Contains("case.safetensors"));
    ++truncations_rejected;
  }
  CHECK(truncations_rejected == static_cast<int>(original.size()));

  // A corrupted header either still parses (then every view must lie inside
  // the mapping and be readable) or is refused with an mmh::Error.
  std::mt19937 random(20240611);
  std::uniform_int_distribution<std::size_t> position(0, 8 + header_len - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  int opened = 0, rejected = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::string corrupt = original;
    const std::size_t at = position(random);
    corrupt[at] = static_cast<char>(byte(random));
    mmh::test::write_file(path, corrupt);
    INFO("trial " << trial << ": byte " << at << " set to " << int(static_cast<unsigned char>(corrupt[at])));
    try {
      const auto file = SafetensorsFile::open(path);
      for (const auto& t : file->tensors()) {
        CHECK(within(t, file->mapping()));
        CHECK(to_float(t).size() == static_cast<std::size_t>(t.numel()));
      }
      ++opened;
    } catch (const mmh::Error& e) {
      CHECK_THAT(std::string(e.what()), Contains("case.safetensors"));
      ++rejected;
    }
  }
  CHECK(opened + rejected == 200);
  CHECK(rejected > 0);

  // Random bytes mostly break the JSON; changing digits keeps it parseable and
  // reaches the shape and offset checks (past the end, overlaps, wrong sizes).
  int digit_opened = 0, digit_rejected = 0;
  for (std::size_t at = 8; at < 8 + header_len; ++at) {
    if (original[at] < '0' || original[at] > '9') continue;
    for (char digit = '0'; digit <= '9'; ++digit) {
      if (digit == original[at]) continue;
      std::string corrupt = original;
      corrupt[at] = digit;
      mmh::test::write_file(path, corrupt);
      INFO("byte " << at << " set to '" << digit << "'");
      try {
        const auto file = SafetensorsFile::open(path);
        for (const auto& t : file->tensors()) CHECK(within(t, file->mapping()));
        ++digit_opened;
      } catch (const mmh::Error& e) {
        CHECK_THAT(std::string(e.what()), Contains("case.safetensors"));
        ++digit_rejected;
      }
    }
  }
  // Every digit in this header is a shape, an offset or a dtype: with
  // contiguous tensors, any change breaks a size or range check.
  CHECK(digit_rejected > 100);
  CHECK(digit_opened == 0);
}

TEST_CASE("safetensors: a deeply nested header is refused without a crash", "[weights][safetensors][fuzz]") {
  mmh::test::TempDir dir;
  const int depth = 200'000;
  const std::string header = "{\"w\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
  CHECK_THAT(open_error(write_raw(dir / "deep.safetensors", header, 0)),
             Contains("deep.safetensors") && Contains("nests deeper than"));
}

// ---- checkpoint folders -------------------------------------------------------------------

TEST_CASE("safetensors: open_dir finds a single file and the bf16 variant", "[weights][safetensors][dir]") {
  mmh::test::TempDir dir;
  write_f32(dir / "model.safetensors", {{"w", {1, 2}}});
  const std::uint16_t bf16[2] = {0x3f80, 0x4000};
  write_safetensors(dir / "model.bf16.safetensors", {{"w", DType::kBF16, {2}, bf16, 4}});

  const auto fp32 = WeightSet::open_dir(dir.path());
  CHECK(fp32.description() == "model.safetensors");
  CHECK(fp32.files() == std::vector<fs::path>{dir / "model.safetensors"});
  REQUIRE(fp32.find("w"));
  CHECK(fp32.find("w")->dtype == DType::kF32);

  const auto half = WeightSet::open_dir(dir.path(), "bf16");
  CHECK(half.description() == "model.bf16.safetensors");
  REQUIRE(half.find("w"));
  CHECK(half.find("w")->dtype == DType::kBF16);
  CHECK(to_float(*half.find("w")) == std::vector<float>{1.0f, 2.0f});

  CHECK_THAT(error_of([&] { WeightSet::open_dir(dir.path(), "fp16"); }),
             Contains(dir.path().string()) && Contains("no model.fp16.safetensors"));
  CHECK_THAT(error_of([&] { WeightSet::open_dir(dir / "nowhere"); }),
             Contains("nowhere") && Contains("does not exist"));
}

TEST_CASE("safetensors: open_dir reads a sharded checkpoint through its index", "[weights][safetensors][dir]") {
  mmh::test::TempDir dir;
  write_f32(dir / "model-00001-of-00002.safetensors", {{"a", {1}}, {"b", {2, 3}}});
  write_f32(dir / "model-00002-of-00002.safetensors", {{"c", {4, 5, 6}}});
  mmh::test::write_file(dir / "model.safetensors.index.json", R"({"metadata": {"total_size": 24}, "weight_map": {
      "a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors",
      "c": "model-00002-of-00002.safetensors"}})");
  const auto set = WeightSet::open_dir(dir.path());
  CHECK(set.description() == "2 shards of model.safetensors.index.json");
  CHECK(set.files().size() == 2);
  REQUIRE(set.all().size() == 3);
  for (const char* name : {"a", "b", "c"}) CHECK(set.find(name));
  CHECK(*set.find("c")->file == dir / "model-00002-of-00002.safetensors");
  CHECK(to_float(*set.find("c")) == std::vector<float>{4, 5, 6});

  // The transformers name of a sharded variant: model.safetensors.index.bf16.json.
  write_f32(dir / "model.bf16-00001-of-00002.safetensors", {{"a", {1}}});
  write_f32(dir / "model.bf16-00002-of-00002.safetensors", {{"b", {2}}});
  mmh::test::write_file(dir / "model.safetensors.index.bf16.json", R"({"weight_map": {
      "a": "model.bf16-00001-of-00002.safetensors", "b": "model.bf16-00002-of-00002.safetensors"}})");
  const auto variant = WeightSet::open_dir(dir.path(), "bf16");
  CHECK(variant.description() == "2 shards of model.safetensors.index.bf16.json");
  CHECK(variant.all().size() == 2);
}

TEST_CASE("safetensors: inconsistent shard indexes are refused", "[weights][safetensors][dir][errors]") {
  mmh::test::TempDir dir;
  write_f32(dir / "s1.safetensors", {{"a", {1}}, {"shared", {0}}});
  write_f32(dir / "s2.safetensors", {{"b", {2}}, {"shared", {0}}});
  write_f32(dir / "s3.safetensors", {{"c", {3}}});
  const auto index = dir / "model.safetensors.index.json";
  const auto open_error_dir = [&] { return error_of([&] { WeightSet::open_dir(dir.path()); }); };

  mmh::test::write_file(index, R"({"weight_map": {"a": "s1.safetensors", "z": "missing.safetensors"}})");
  CHECK_THAT(open_error_dir(), Contains("model.safetensors.index.json") && Contains("missing.safetensors") &&
                                   Contains("which is missing"));

  mmh::test::write_file(index, R"({"weight_map": {"c": "s3.safetensors", "b": "s1.safetensors"}})");
  CHECK_THAT(open_error_dir(), Contains("model.safetensors.index.json") && Contains("tensor \"b\"") &&
                                   Contains("s1.safetensors, which does not hold it"));

  mmh::test::write_file(index, R"({"weight_map": {"a": "s1.safetensors", "shared": "s1.safetensors",
                                   "b": "s2.safetensors"}})");
  CHECK_THAT(open_error_dir(), Contains("s2.safetensors") && Contains("tensor \"shared\" is also stored in") &&
                                   Contains("s1.safetensors"));

  mmh::test::write_file(index, "{\n  \"weight_map\": {\n    \"a\": \"s1.safetensors\",\n  }\n}\n");
  CHECK_THAT(open_error_dir(), Contains("model.safetensors.index.json:4:"));

  mmh::test::write_file(index, R"({"weight_map": {"a": "../s1.safetensors"}})");
  CHECK_THAT(open_error_dir(), Contains("model.safetensors.index.json") && Contains("outside the folder"));

  mmh::test::write_file(index, R"({"weight_map": {}})");
  CHECK_THAT(open_error_dir(), Contains("model.safetensors.index.json") && Contains("weight_map is empty"));

  mmh::test::write_file(index, R"({"metadata": {}})");
  CHECK_THAT(open_error_dir(), Contains("model.safetensors.index.json") && Contains("no \"weight_map\""));

  mmh::test::write_file(index, R"({"weight_map": {"a": 1}})");
  CHECK_THAT(open_error_dir(), Contains("model.safetensors.index.json") && Contains("is not a file name"));
}

TEST_CASE("safetensors: a folder with only pytorch_model.bin says to convert", "[weights][safetensors][dir][errors]") {
  mmh::test::TempDir dir;
  mmh::test::write_file(dir / "pytorch_model.bin", "PK\x03\x04 pickle");
  CHECK_THAT(error_of([&] { WeightSet::open_dir(dir.path()); }),
             Contains(dir.path().string()) && Contains("no model.safetensors or model.safetensors.index.json") &&
                 Contains("pytorch_model.bin") && Contains("convert it to safetensors"));
}

TEST_CASE("safetensors: take() follows aliases and unused() lists the rest", "[weights][safetensors][dir]") {
  mmh::test::TempDir dir;
  const auto set_path = write_f32(dir / "w.safetensors", {{"model.a", {1}}, {"model.b", {2}}, {"model.c", {3}}});
  auto set = WeightSet::open_files({set_path});
  CHECK(set.description() == "w.safetensors");
  CHECK(set.all().size() == 3);
  CHECK(set.unused() == std::vector<std::string>{"model.a", "model.b", "model.c"});

  const TensorView* b = set.take({"language_model.b", "model.b", "model.a"});
  REQUIRE(b);
  CHECK(b->name == "model.b");  // the first alias that exists, not the first in the file
  CHECK(set.take({"missing", "also.missing"}) == nullptr);
  CHECK(set.unused() == std::vector<std::string>{"model.a", "model.c"});
  CHECK(set.take({"model.a"})->name == "model.a");
  CHECK(set.take({"model.a"})->name == "model.a");  // taking twice is harmless
  CHECK(set.unused() == std::vector<std::string>{"model.c"});
  CHECK(set.find("model.c"));
  CHECK(set.unused() == std::vector<std::string>{"model.c"});  // find() does not mark it used
}

TEST_CASE("safetensors: open_files refuses a tensor stored twice", "[weights][safetensors][dir][errors]") {
  mmh::test::TempDir dir;
  const auto first = write_f32(dir / "one.safetensors", {{"w", {1}}});
  const auto second = write_f32(dir / "two.safetensors", {{"w", {2}}});
  CHECK_THAT(error_of([&] {
               WeightSet::open_files({first, second});
             }),
             Contains("two.safetensors") && Contains("tensor \"w\" is also stored in") && Contains("one.safetensors"));
}

// ---- the reference checkpoints ------------------------------------------------------------

TEST_CASE("safetensors: llava-tiny-a fp32 and bf16 checkpoints agree", "[weights][safetensors][refdata]") {
  const auto fp32_path = mmh::test::refdata("models/llava-tiny-a/model.safetensors");
  const auto bf16_path = mmh::test::refdata("models/llava-tiny-a/model.bf16.safetensors");
  const auto fp32 = SafetensorsFile::open(fp32_path);
  const auto bf16 = SafetensorsFile::open(bf16_path);
  REQUIRE(fp32->tensors().size() > 10);
  REQUIRE(fp32->tensors().size() == bf16->tensors().size());
  for (std::size_t i = 0; i < fp32->tensors().size(); ++i) {
    const TensorView& full = fp32->tensors()[i];
    const TensorView& half = bf16->tensors()[i];
    INFO(full.name);
    REQUIRE(full.name == half.name);
    CHECK(full.shape == half.shape);
    CHECK(full.dtype == DType::kF32);
    CHECK(half.dtype == DType::kBF16);
    CHECK(within(full, fp32->mapping()));
    CHECK(within(half, bf16->mapping()));
    const std::vector<float> values = to_float(full);
    REQUIRE(half.nbytes == values.size() * 2);
    std::size_t mismatches = 0;
    for (std::size_t k = 0; k < values.size(); ++k) {
      std::uint16_t stored;
      std::memcpy(&stored, half.data + 2 * k, 2);
      if (stored != bf16_round_nearest_even(values[k])) ++mismatches;
    }
    CHECK(mismatches == 0);
  }
  // The same checkpoints through the folder API.
  const auto folder = fp32_path.parent_path();
  CHECK(WeightSet::open_dir(folder).description() == "model.safetensors");
  CHECK(WeightSet::open_dir(folder, "bf16").all().size() == bf16->tensors().size());
}

TEST_CASE("safetensors: llava-tiny-a reference tensors open", "[weights][safetensors][refdata]") {
  const auto file = SafetensorsFile::open(mmh::test::refdata("models/llava-tiny-a/reference_tensors.safetensors"));
  CHECK(file->tensors().size() > 0);
  CHECK(file->metadata().count("format"));
  for (const auto& t : file->tensors()) {
    INFO(t.name);
    CHECK(within(t, file->mapping()));
    CHECK(t.nbytes == static_cast<std::size_t>(t.numel()) * dtype_size(t.dtype));
  }
}
