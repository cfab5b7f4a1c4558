#include "harness/cli/backend_plugin.h"

#include <dlfcn.h>

#include <filesystem>

#include "common/error.h"

namespace mmh::cli {
namespace {

constexpr const char* kLibraryName = "libmmh_backend.so";

void* open_backend() {
  static void* handle = [] {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto path = ec ? std::filesystem::path(kLibraryName) : exe.parent_path() / kLibraryName;
    // RTLD_GLOBAL: the backend asks dlsym(RTLD_DEFAULT, ...) which BLAS got loaded.
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!h) throw Error(path.string(), std::string("cannot load the model backend: ") + dlerror());
    return h;
  }();
  return handle;
}

template <class Fn>
Fn backend_symbol(const char* name) {
  void* symbol = dlsym(open_backend(), name);
  if (!symbol) throw Error(kLibraryName, std::string("has no symbol ") + name + " (stale build?)");
  return reinterpret_cast<Fn>(symbol);
}

}  // namespace

backend::RuntimeInfo backend_runtime_info() {
  backend::RuntimeInfo info;
  backend_symbol<void (*)(backend::RuntimeInfo*)>("mmh_backend_runtime_info")(&info);
  return info;
}

std::unique_ptr<backend::Model> backend_load_model(const std::filesystem::path& dir,
                                                   const backend::LoadOptions& options) {
  std::unique_ptr<backend::Model> model;
  backend_symbol<void (*)(const std::filesystem::path*, const backend::LoadOptions*,
                          std::unique_ptr<backend::Model>*)>("mmh_backend_load_model")(&dir, &options, &model);
  return model;
}

}  // namespace mmh::cli
