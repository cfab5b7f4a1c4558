#include "model_backend/runtime_info.h"

#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <dlfcn.h>
#include <torch/cuda.h>
#include <torch/version.h>

namespace mmh::backend {
namespace {

// Looks a symbol up among the libraries already loaded into the process.
template <class Fn>
Fn loaded_symbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

}  // namespace

std::string describe_openblas_parallel(int mode) {
  switch (mode) {
    case 0: return "sequential";
    case 1: return "pthreads";
    case 2: return "OpenMP";
    default: return "not OpenBLAS";
  }
}

RuntimeInfo runtime_info() {
  RuntimeInfo info;
  info.torch_version = TORCH_VERSION;
  info.cuda_available = torch::cuda::is_available();
  info.cuda_device_count = info.cuda_available ? static_cast<int>(torch::cuda::device_count()) : 0;
  info.cpu_threads = at::get_num_threads();
  if (info.cuda_available) {
    try {
      const long v = at::detail::getCUDAHooks().versionCUDART();  // e.g. 12010
      info.cuda_runtime = std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
    } catch (const std::exception&) {  // a CPU-only LibTorch has no CUDA hooks
    }
  }

  if (auto get_config = loaded_symbol<char* (*)()>("openblas_get_config")) {
    info.blas = get_config();  // "OpenBLAS 0.3.21 DYNAMIC_ARCH ... USE_OPENMP ..."
    if (auto get_parallel = loaded_symbol<int (*)()>("openblas_get_parallel")) info.openblas_parallel = get_parallel();
  } else if (loaded_symbol<void*>("mkl_get_version_string")) {
    info.blas = "MKL";
  } else {
    info.blas = "unknown (neither OpenBLAS nor MKL is loaded)";
  }
  info.blas_threading = describe_openblas_parallel(info.openblas_parallel);
  return info;
}

}  // namespace mmh::backend

extern "C" void mmh_backend_runtime_info(mmh::backend::RuntimeInfo* out) { *out = mmh::backend::runtime_info(); }
