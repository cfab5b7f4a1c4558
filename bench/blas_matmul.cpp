// fp32 matmul throughput through LibTorch, and the BLAS that serves it.
// Usage: bench_blas_matmul [N] [repeats]
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "model_backend/runtime_info.h"

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 1024;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 20;
  const auto rt = mmh::backend::runtime_info();
  std::printf("BLAS: %s (threading: %s), LibTorch %s, %d threads\n", rt.blas.c_str(),
              mmh::backend::describe_openblas_parallel(rt.openblas_parallel).c_str(), rt.torch_version.c_str(),
              rt.cpu_threads);

  torch::manual_seed(0);
  const auto a = torch::randn({n, n}), b = torch::randn({n, n});
  auto c = torch::matmul(a, b);  // warm-up: thread pools, page faults
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) c = torch::matmul(a, b);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double gflops = 2.0 * n * n * n * repeats / seconds / 1e9;
  std::printf("matmul fp32 %lldx%lld: %.1f GFLOP/s (%.2f ms each, %d repeats)\n", static_cast<long long>(n),
              static_cast<long long>(n), gflops, 1e3 * seconds / repeats, repeats);
  return c.numel() == n * n ? 0 : 1;
}
