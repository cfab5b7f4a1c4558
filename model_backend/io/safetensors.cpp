#include "model_backend/io/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <system_error>

#include "common/error.h"
#include "common/json_file.h"

namespace mmh::weights {

namespace fs = std::filesystem;

// ---- dtypes -------------------------------------------------------------------------------

namespace {

struct DTypeEntry {
  DType dtype;
  std::string_view name;
  std::size_t size;
};
constexpr DTypeEntry kDTypes[] = {
    {DType::kF64, "F64", 8}, {DType::kF32, "F32", 4}, {DType::kF16, "F16", 2},
    {DType::kBF16, "BF16", 2}, {DType::kI64, "I64", 8}, {DType::kI32, "I32", 4},
    {DType::kI16, "I16", 2}, {DType::kI8, "I8", 1},   {DType::kU8, "U8", 1},
    {DType::kBool, "BOOL", 1},
};

const DTypeEntry& entry(DType dtype) {
  for (const auto& e : kDTypes)
    if (e.dtype == dtype) return e;
  throw std::logic_error("unknown DType");
}

}  // namespace

std::string_view dtype_name(DType dtype) { return entry(dtype).name; }
std::size_t dtype_size(DType dtype) { return entry(dtype).size; }

std::int64_t TensorView::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

float bf16_to_float(std::uint16_t bits) {
  const std::uint32_t wide = std::uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &wide, 4);
  return f;
}

float f16_to_float(std::uint16_t h) {
  const std::uint32_t sign = std::uint32_t(h & 0x8000) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff, bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13);  // inf / nan
  } else if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do {
        ++e;
        mantissa <<= 1;
      } while (!(mantissa & 0x400));
      bits = sign | std::uint32_t(127 - 15 - e) << 23 | (mantissa & 0x3ff) << 13;
    }
  } else {
    bits = sign | (exponent + 127 - 15) << 23 | mantissa << 13;
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::vector<float> to_float(const TensorView& t) {
  const auto n = static_cast<std::size_t>(t.numel());
  std::vector<float> out(n);
  auto read = [&](auto tag, auto convert) {
    using T = decltype(tag);
    for (std::size_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, t.data + i * sizeof(T), sizeof(T));
      out[i] = convert(v);
    }
  };
  auto cast = [](auto v) { return static_cast<float>(v); };
  switch (t.dtype) {
    case DType::kF64: read(double{}, cast); break;
    case DType::kF32: read(float{}, cast); break;
    case DType::kF16: read(std::uint16_t{}, f16_to_float); break;
    case DType::kBF16: read(std::uint16_t{}, bf16_to_float); break;
    case DType::kI64: read(std::int64_t{}, cast); break;
    case DType::kI32: read(std::int32_t{}, cast); break;
    case DType::kI16: read(std::int16_t{}, cast); break;
    case DType::kI8: read(std::int8_t{}, cast); break;
    case DType::kU8: read(std::uint8_t{}, cast); break;
    case DType::kBool: read(std::uint8_t{}, cast); break;
  }
  return out;
}

// ---- one mapped file ----------------------------------------------------------------------

class MappedFile {
 public:
  explicit MappedFile(const fs::path& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error(path.string(), std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw Error(path.string(), "not a regular file");
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
      if (p == MAP_FAILED) {
        ::close(fd_);
        throw Error(path.string(), std::string("cannot map: ") + std::strerror(errno));
      }
      data_ = static_cast<const std::byte*>(p);
    }
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  int fd_ = -1;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

// ---- header parsing -----------------------------------------------------------------------

namespace {

DType parse_dtype(const std::string& name, const std::string& where) {
  for (const auto& e : kDTypes)
    if (e.name == name) return e.dtype;
  std::string known;
  for (const auto& e : kDTypes) known += (known.empty() ? "" : ", ") + std::string(e.name);
  throw Error(where, "unknown dtype \"" + name + "\" (supported: " + known + ")");
}

std::size_t checked_nbytes(const std::vector<std::int64_t>& shape, std::size_t element, const std::string& where) {
  std::size_t n = element;
  for (auto d : shape) {
    if (d < 0) throw Error(where, "negative dimension " + std::to_string(d) + " in shape");
    if (d != 0 && n > std::numeric_limits<std::size_t>::max() / static_cast<std::size_t>(d))
      throw Error(where, "shape overflows the addressable size");
    n *= static_cast<std::size_t>(d);
  }
  return n;
}

// A real header nests three levels ({name: {shape: [...]}}); the bound keeps
// a hostile 100 MB header from building a huge tree.
constexpr int kMaxHeaderDepth = 16;

// Parses the header, refusing duplicate keys: nlohmann keeps the last one
// silently, which would hide a tensor (or let two names share one range).
nlohmann::json parse_header(const char* begin, const char* end, const std::string& where) {
  std::vector<std::set<std::string>> keys_per_object;  // one set per open object
  auto reject_duplicates = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (depth > kMaxHeaderDepth)
      throw Error(where, "header nests deeper than " + std::to_string(kMaxHeaderDepth) + " levels");
    if (event == Event::object_start) keys_per_object.emplace_back();
    if (event == Event::object_end) keys_per_object.pop_back();
    if (event == Event::key && !keys_per_object.back().insert(parsed.get<std::string>()).second)
      throw Error(where, "header holds the key \"" + parsed.get<std::string>() + "\" twice");
    return true;
  };
  try {
    return nlohmann::json::parse(begin, end, reject_duplicates);
  } catch (const nlohmann::json::exception& e) {
    // Not only parse_error: a number like 1e999 throws out_of_range.
    throw Error(where, std::string("malformed JSON header: ") + e.what());
  }
}

// An unreadable folder counts as absent rather than escaping as a filesystem_error.
bool path_exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

bool is_folder(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

}  // namespace

std::unique_ptr<SafetensorsFile> SafetensorsFile::open(const fs::path& path) {
  std::unique_ptr<SafetensorsFile> file(new SafetensorsFile);
  file->path_ = path;
  file->mapping_ = std::make_unique<MappedFile>(path);
  const std::string where = path.string();
  const std::size_t size = file->mapping_->size();
  const std::byte* base = file->mapping_->data();
  if (size < 8) throw Error(where, "truncated: " + std::to_string(size) + " bytes, shorter than the 8-byte header length");
  std::uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = header_len << 8 | std::to_integer<std::uint64_t>(base[i]);
  if (header_len > kMaxHeaderBytes)
    throw Error(where, "header length " + std::to_string(header_len) + " exceeds the " +
                           std::to_string(kMaxHeaderBytes) + "-byte limit (not a safetensors file?)");
  if (header_len > size - 8)
    throw Error(where, "truncated: header declares " + std::to_string(header_len) + " bytes, file has " +
                           std::to_string(size - 8) + " after the length");
  const auto* header_begin = reinterpret_cast<const char*>(base + 8);
  const nlohmann::json header = parse_header(header_begin, header_begin + header_len, where);
  if (!header.is_object()) throw Error(where, "header is not a JSON object");

  const std::size_t data_begin = 8 + header_len;
  const std::size_t data_size = size - data_begin;
  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& name = it.key();
    const std::string tensor_where = where + ": tensor \"" + name + "\"";
    if (name == "__metadata__") {
      if (!it->is_object()) throw Error(where, "__metadata__ is not an object");
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string()) throw Error(where, "__metadata__ value \"" + m.key() + "\" is not a string");
        file->metadata_[m.key()] = m->get<std::string>();
      }
      continue;
    }
    const auto& spec = *it;
    if (!spec.is_object() || !spec.contains("dtype") || !spec.contains("shape") || !spec.contains("data_offsets"))
      throw Error(tensor_where, "entry needs dtype, shape and data_offsets");
    if (!spec["dtype"].is_string()) throw Error(tensor_where, "dtype is not a string");
    TensorView t;
    t.name = name;
    t.dtype = parse_dtype(spec["dtype"].get<std::string>(), tensor_where);
    const auto& shape = spec["shape"];
    if (!shape.is_array()) throw Error(tensor_where, "shape is not an array");
    for (const auto& d : shape) {
      if (!d.is_number_integer()) throw Error(tensor_where, "shape holds a non-integer");
      // Unsigned values past int64 would wrap to negative dimensions.
      if (d.is_number_unsigned() && d.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
        throw Error(tensor_where, "shape dimension " + d.dump() + " is too large");
      t.shape.push_back(d.get<std::int64_t>());
    }
    const auto& offsets = spec["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
      throw Error(tensor_where, "data_offsets must be [begin, end] with non-negative integers");
    const auto begin = offsets[0].get<std::uint64_t>(), end = offsets[1].get<std::uint64_t>();
    if (begin > end) throw Error(tensor_where, "data_offsets begin > end");
    if (end > data_size)
      throw Error(tensor_where, "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                                    "] run past the data section (" + std::to_string(data_size) +
                                    " bytes): truncated file?");
    t.nbytes = checked_nbytes(t.shape, dtype_size(t.dtype), tensor_where);
    if (end - begin != t.nbytes)
      throw Error(tensor_where, "holds " + std::to_string(end - begin) + " bytes but its dtype and shape need " +
                                    std::to_string(t.nbytes));
    t.data = base + data_begin + begin;
    t.file = &file->path_;
    file->tensors_.push_back(std::move(t));
  }
  // Overlaps: sorted by offset, each tensor must start at or after the previous end.
  // Empty tensors occupy no bytes: writers give them [k, k] where the next
  // tensor starts at k, which must not count as an overlap.
  std::vector<const TensorView*> by_offset;
  for (const auto& t : file->tensors_)
    if (t.nbytes > 0) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->data < b->data; });
  for (std::size_t i = 1; i < by_offset.size(); ++i) {
    const auto* prev = by_offset[i - 1];
    if (by_offset[i]->data < prev->data + prev->nbytes)
      throw Error(where, "tensors \"" + prev->name + "\" and \"" + by_offset[i]->name + "\" overlap");
  }
  std::sort(file->tensors_.begin(), file->tensors_.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return file;
}

SafetensorsFile::~SafetensorsFile() = default;

std::span<const std::byte> SafetensorsFile::mapping() const { return {mapping_->data(), mapping_->size()}; }

const TensorView* SafetensorsFile::find(std::string_view name) const {
  auto it = std::lower_bound(tensors_.begin(), tensors_.end(), name,
                             [](const TensorView& t, std::string_view n) { return t.name < n; });
  return it != tensors_.end() && it->name == name ? &*it : nullptr;
}

// ---- checkpoint folders -------------------------------------------------------------------

WeightSet WeightSet::open_files(const std::vector<fs::path>& files) {
  WeightSet set;
  for (const auto& path : files) {
    auto file = std::shared_ptr<SafetensorsFile>(SafetensorsFile::open(path));
    for (const auto& t : file->tensors()) {
      auto [it, inserted] = set.by_name_.emplace(t.name, &t);
      if (!inserted)
        throw Error(path.string(), "tensor \"" + t.name + "\" is also stored in " + it->second->file->string());
    }
    set.files_.push_back(std::move(file));
  }
  set.description_ = files.size() == 1 ? files[0].filename().string() : std::to_string(files.size()) + " files";
  return set;
}

WeightSet WeightSet::open_dir(const fs::path& dir, const std::string& variant) {
  // transformers' _add_variant puts the variant before the last extension:
  // model.bf16.safetensors, model.safetensors.index.bf16.json.
  const fs::path single = dir / (variant.empty() ? "model.safetensors" : "model." + variant + ".safetensors");
  fs::path index =
      dir / (variant.empty() ? "model.safetensors.index.json" : "model.safetensors.index." + variant + ".json");
  const fs::path naive_index = dir / ("model." + variant + ".safetensors.index.json");
  if (!variant.empty() && !path_exists(index) && path_exists(naive_index)) index = naive_index;
  if (!is_folder(dir)) throw Error(dir.string(), "checkpoint folder does not exist (or is not a folder)");
  if (path_exists(single)) return open_files({single});
  if (!path_exists(index)) {
    std::string why = "no " + single.filename().string() + " or " + index.filename().string();
    if (path_exists(dir / "pytorch_model.bin") || path_exists(dir / "pytorch_model.bin.index.json"))
      why += " (only pytorch_model.bin, a pickle, which mmharness does not load: convert it to safetensors)";
    throw Error(dir.string(), why);
  }
  const nlohmann::json doc = read_json_file(index);
  if (!doc.is_object() || !doc.contains("weight_map") || !doc["weight_map"].is_object())
    throw Error(index.string(), "has no \"weight_map\" object");
  std::map<std::string, std::vector<std::string>> names_by_shard;
  for (auto it = doc["weight_map"].begin(); it != doc["weight_map"].end(); ++it) {
    if (!it->is_string()) throw Error(index.string(), "weight_map[\"" + it.key() + "\"] is not a file name");
    const std::string shard = it->get<std::string>();
    if (shard.find('/') != std::string::npos || shard == "..")
      throw Error(index.string(), "weight_map[\"" + it.key() + "\"] names a file outside the folder: " + shard);
    names_by_shard[shard].push_back(it.key());
  }
  if (names_by_shard.empty()) throw Error(index.string(), "weight_map is empty");
  std::vector<fs::path> shards;
  for (const auto& [shard, names] : names_by_shard) {
    if (!path_exists(dir / shard)) throw Error(index.string(), "lists shard " + shard + ", which is missing");
    shards.push_back(dir / shard);
  }
  WeightSet set = open_files(shards);
  for (const auto& [shard, names] : names_by_shard)
    for (const auto& name : names) {
      const TensorView* t = set.find(name);
      if (!t || t->file->filename() != shard)
        throw Error(index.string(), "maps tensor \"" + name + "\" to " + shard + ", which does not hold it");
    }
  set.description_ = std::to_string(shards.size()) + " shards of " + index.filename().string();
  return set;
}

const TensorView* WeightSet::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

const TensorView* WeightSet::take(const std::vector<std::string>& names) {
  for (const auto& name : names)
    if (const TensorView* t = find(name)) {
      used_.insert(t->name);
      return t;
    }
  return nullptr;
}

std::vector<std::string> WeightSet::unused() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : by_name_)
    if (!used_.count(name)) out.push_back(name);
  return out;
}

std::vector<const TensorView*> WeightSet::all() const {
  std::vector<const TensorView*> out;
  for (const auto& [name, t] : by_name_) out.push_back(t);
  return out;
}

std::vector<fs::path> WeightSet::files() const {
  std::vector<fs::path> out;
  for (const auto& f : files_) out.push_back(f->path());
  return out;
}

std::string WeightSet::description() const { return description_; }

// ---- writing ------------------------------------------------------------------------------

void write_safetensors(const fs::path& path, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header;
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::size_t offset = 0;
  for (const auto& t : tensors) {
    // A repeated name would overwrite the first entry and leave its bytes orphaned.
    if (t.name == "__metadata__" || header.contains(t.name))
      throw Error(path.string(), "tensor name \"" + t.name + "\" is reserved or repeated");
    const std::size_t need = checked_nbytes(t.shape, dtype_size(t.dtype), path.string() + ": " + t.name);
    if (need != t.nbytes) throw Error(path.string(), "tensor \"" + t.name + "\": byte count does not match its shape");
    header[t.name] = {{"dtype", dtype_name(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.nbytes}}};
    offset += t.nbytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(tmp.string(), "cannot create");
    std::uint64_t len = text.size();
    char len_bytes[8];
    for (int i = 0; i < 8; ++i) len_bytes[i] = static_cast<char>(len >> (8 * i) & 0xff);
    out.write(len_bytes, 8);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    for (const auto& t : tensors) out.write(static_cast<const char*>(t.data), static_cast<std::streamsize>(t.nbytes));
    if (!out.flush()) {
      out.close();
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw Error(tmp.string(), "write failed (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw Error(path.string(), "cannot rename " + tmp.filename().string() + " into place: " + ec.message());
}

}  // namespace mmh::weights
