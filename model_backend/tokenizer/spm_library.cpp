#include "model_backend/tokenizer/spm_library.h"

#include <dlfcn.h>

#include <filesystem>

#include "common/error.h"

namespace mmh::tokenizer {

namespace {

constexpr const char* kShimName = "libmmh_spm.so";

// Next to the running executable, one folder up (tests and benchmarks live in
// build/tests, build/bench), else where the build put it.
void* open_shim() {
  static void* handle = [] {
    std::vector<std::filesystem::path> candidates;
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
      candidates.push_back(exe.parent_path() / kShimName);
      candidates.push_back(exe.parent_path().parent_path() / kShimName);
    }
#ifdef MMH_SPM_SHIM_PATH
    candidates.emplace_back(MMH_SPM_SHIM_PATH);
#endif
    std::string tried;
    for (const auto& path : candidates) {
      if (!std::filesystem::exists(path)) {
        tried += (tried.empty() ? "" : ", ") + path.string();
        continue;
      }
      if (void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND)) return h;
      throw Error(path.string(), std::string("cannot load the SentencePiece library: ") + dlerror());
    }
    throw Error(kShimName, "not found (looked at " + tried + "); it is built with mmharness");
  }();
  return handle;
}

template <class Fn>
Fn symbol(const char* name) {
  void* f = dlsym(open_shim(), name);
  if (!f) throw Error(kShimName, std::string("has no symbol ") + name + " (stale build?)");
  return reinterpret_cast<Fn>(f);
}

// The shim's entry points, resolved once.
struct Shim {
  void* (*create)() = symbol<void* (*)()>("mmh_spm_new");
  void (*destroy)(void*) = symbol<void (*)(void*)>("mmh_spm_delete");
  void (*load)(void*, const std::string*, std::string*) =
      symbol<void (*)(void*, const std::string*, std::string*)>("mmh_spm_load");
  int (*piece_size)(const void*) = symbol<int (*)(const void*)>("mmh_spm_piece_size");
  void (*id_to_piece)(const void*, int, std::string*) =
      symbol<void (*)(const void*, int, std::string*)>("mmh_spm_id_to_piece");
  int (*piece_to_id)(const void*, const std::string*) =
      symbol<int (*)(const void*, const std::string*)>("mmh_spm_piece_to_id");
  int (*special_id)(const void*, int) = symbol<int (*)(const void*, int)>("mmh_spm_special_id");
  void (*encode)(const void*, const std::string*, std::vector<SpmPiece>*, std::string*) =
      symbol<void (*)(const void*, const std::string*, std::vector<SpmPiece>*, std::string*)>("mmh_spm_encode");
  void (*decode)(const void*, const std::vector<std::string>*, std::string*, std::string*) =
      symbol<void (*)(const void*, const std::vector<std::string>*, std::string*, std::string*)>("mmh_spm_decode");
  void (*decode_ids)(const void*, const std::vector<int>*, std::string*, std::string*) =
      symbol<void (*)(const void*, const std::vector<int>*, std::string*, std::string*)>("mmh_spm_decode_ids");
};

const Shim& shim() {
  static const Shim api;
  return api;
}

}  // namespace

SpmProcessor::SpmProcessor() : handle_(shim().create()) {}

SpmProcessor::~SpmProcessor() {
  if (handle_) shim().destroy(handle_);
}

std::string SpmProcessor::load_from_serialized_proto(const std::string& proto) {
  std::string error;
  shim().load(handle_, &proto, &error);
  return error;
}

int SpmProcessor::piece_size() const { return shim().piece_size(handle_); }

std::string SpmProcessor::id_to_piece(int id) const {
  std::string out;
  shim().id_to_piece(handle_, id, &out);
  return out;
}

int SpmProcessor::piece_to_id(std::string_view piece) const {
  const std::string p(piece);
  return shim().piece_to_id(handle_, &p);
}

int SpmProcessor::bos_id() const { return shim().special_id(handle_, 0); }
int SpmProcessor::eos_id() const { return shim().special_id(handle_, 1); }
int SpmProcessor::unk_id() const { return shim().special_id(handle_, 2); }
int SpmProcessor::pad_id() const { return shim().special_id(handle_, 3); }

std::string SpmProcessor::encode(std::string_view text, std::vector<SpmPiece>* pieces) const {
  const std::string t(text);
  std::string error;
  shim().encode(handle_, &t, pieces, &error);
  return error;
}

std::string SpmProcessor::decode(const std::vector<std::string>& pieces, std::string* text) const {
  std::string error;
  shim().decode(handle_, &pieces, text, &error);
  return error;
}

std::string SpmProcessor::decode_ids(const std::vector<int>& ids, std::string* text) const {
  std::string error;
  shim().decode_ids(handle_, &ids, text, &error);
  return error;
}

}  // namespace mmh::tokenizer
