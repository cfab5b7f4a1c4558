#pragma once
// What the numeric runtime is: LibTorch version, CUDA devices, and which BLAS
// library actually got loaded (Debian's LibTorch runs fp32 matmul through
// libblas.so.3, and the OpenBLAS variant decides the speed; see cmake/OpenBlasOpenMP.cmake).
#include <string>

namespace mmh::backend {

struct RuntimeInfo {
  std::string torch_version;   // "1.13.0"
  bool cuda_available = false;
  int cuda_device_count = 0;
  std::string cuda_runtime;    // CUDA runtime LibTorch was built with ("12.1"), empty without CUDA
  int cpu_threads = 0;         // LibTorch's intra-op threads
  std::string blas;            // "OpenBLAS 0.3.21 ...", "MKL", or "unknown"
  // OpenBLAS threading model from openblas_get_parallel(): 0 sequential,
  // 1 pthreads, 2 OpenMP; -1 when the BLAS is not OpenBLAS.
  int openblas_parallel = -1;
  std::string blas_threading;  // describe_openblas_parallel(openblas_parallel)
};

RuntimeInfo runtime_info();
std::string describe_openblas_parallel(int mode);  // "OpenMP", "pthreads", ...

}  // namespace mmh::backend

// The plugin entry point the CLI resolves with dlsym (see harness/cli/backend_plugin.h).
extern "C" void mmh_backend_runtime_info(mmh::backend::RuntimeInfo* out);
