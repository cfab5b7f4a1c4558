#pragma once
// Memory-mapped safetensors checkpoints, torch-free.
//
// Format (https://huggingface.co/docs/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON {name: {dtype, shape, data_offsets}, ...,
// "__metadata__": {...}}, then raw little-endian C-order data. Tensors are
// views into the mapping: nothing is copied until the backend converts them.
//
// Every structural problem is an mmh::Error naming the file (and tensor):
// truncated file, header too large, malformed JSON, unknown dtype, offsets
// out of range or not matching the shape, overlapping tensors.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mmh::weights {

enum class DType { kF64, kF32, kF16, kBF16, kI64, kI32, kI16, kI8, kU8, kBool };

std::string_view dtype_name(DType dtype);  // "F32", as written in the header
std::size_t dtype_size(DType dtype);

// The largest header accepted: the reference implementation's limit (100 MB).
inline constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

struct TensorView {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<std::int64_t> shape;
  const std::byte* data = nullptr;  // inside the file mapping; valid while the file is open
  std::size_t nbytes = 0;
  const std::filesystem::path* file = nullptr;  // the file it lives in

  std::int64_t numel() const;
};

// Converts any floating or integer tensor to float32 values (tests, small tensors).
std::vector<float> to_float(const TensorView& tensor);
float bf16_to_float(std::uint16_t bits);
float f16_to_float(std::uint16_t bits);

class MappedFile;

// One .safetensors file, mapped read-only.
class SafetensorsFile {
 public:
  static std::unique_ptr<SafetensorsFile> open(const std::filesystem::path& path);
  ~SafetensorsFile();

  const std::filesystem::path& path() const { return path_; }
  const std::vector<TensorView>& tensors() const { return tensors_; }  // sorted by name
  const TensorView* find(std::string_view name) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  // The whole mapped file; every tensor's data lies inside it (no copies).
  std::span<const std::byte> mapping() const;

 private:
  SafetensorsFile() = default;
  std::filesystem::path path_;
  std::unique_ptr<MappedFile> mapping_;
  std::vector<TensorView> tensors_;
  std::map<std::string, std::string> metadata_;
};

// The weights of a checkpoint folder: model.safetensors, or the shards listed
// in model.safetensors.index.json. `variant` selects model.<variant>.safetensors
// (transformers' variant="bf16"), sharded as model.safetensors.index.<variant>.json
// (transformers' naming; model.<variant>.safetensors.index.json is accepted too).
// Tracks which tensors a family consumed, so the loader can report unused and
// missing ones.
class WeightSet {
 public:
  static WeightSet open_dir(const std::filesystem::path& dir, const std::string& variant = "");
  static WeightSet open_files(const std::vector<std::filesystem::path>& files);

  // The tensor stored under the first of `names` that exists (names are the
  // aliases of one parameter across transformers layouts); nullptr if none.
  // Marks it used.
  const TensorView* take(const std::vector<std::string>& names);
  const TensorView* find(std::string_view name) const;

  std::vector<std::string> unused() const;  // stored but never taken
  std::vector<const TensorView*> all() const;
  std::vector<std::filesystem::path> files() const;
  std::string description() const;  // "model.safetensors" or "3 shards of model.safetensors.index.json"

 private:
  std::vector<std::shared_ptr<SafetensorsFile>> files_;
  std::map<std::string, const TensorView*, std::less<>> by_name_;
  std::set<std::string, std::less<>> used_;
  std::string description_;
};

// Writes a safetensors file (tests, fixtures, --logits-out). Tensors are
// written in the given order, header padded with spaces to a multiple of 8;
// the file appears atomically (written to PATH.tmp, then renamed).
struct TensorToWrite {
  std::string name;
  DType dtype;
  std::vector<std::int64_t> shape;
  const void* data;
  std::size_t nbytes;
};
void write_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace mmh::weights
