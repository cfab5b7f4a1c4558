// mmharness --version: what was built, from which revision, on which runtime.
#include <CLI/CLI.hpp>

#include "common/build_info.h"
#include "harness/cli/app.h"
#include "harness/cli/backend_plugin.h"

namespace mmh::cli {
namespace {

std::string version_text() {
  const backend::RuntimeInfo rt = backend_runtime_info();
  std::string text = std::string("mmharness ") + harness_version() + " (git " + git_revision() + ")\n";
  text += "LibTorch " + rt.torch_version + ", " + std::to_string(rt.cpu_threads) + " CPU threads\n";
  text += rt.cuda_available ? "CUDA: available, " + std::to_string(rt.cuda_device_count) + " device(s)" +
                                  (rt.cuda_runtime.empty() ? "" : ", runtime " + rt.cuda_runtime) + "\n"
                            : std::string("CUDA: not available\n");
  text += "BLAS: " + rt.blas;
  if (rt.openblas_parallel >= 0) text += " (threading: " + rt.blas_threading + ")";
  return text;
}

}  // namespace

void add_version_flag(CLI::App& app) {
  app.set_version_flag("--version", version_text, "Print the version, git revision, LibTorch, CUDA and BLAS in use");
}

}  // namespace mmh::cli
