#include <catch2/catch.hpp>

#include "model_backend/runtime_info.h"

TEST_CASE("runtime: LibTorch version and BLAS are reported", "[backend]") {
  const auto rt = mmh::backend::runtime_info();
  CHECK_THAT(rt.torch_version, Catch::Matches(R"(\d+\.\d+\.\d+.*)"));
  CHECK(rt.cpu_threads >= 1);
  CHECK(rt.cuda_device_count >= 0);
  CHECK_FALSE(rt.blas.empty());
}

#if MMH_EXPECT_OPENBLAS_OPENMP
// With Debian's LibTorch, the build links OpenBLAS's OpenMP variant into every
// executable (cmake/OpenBlasOpenMP.cmake): the pthread variant fights
// LibTorch's OpenMP pool and the reference BLAS is ~35x slower.
TEST_CASE("runtime: the OpenMP build of OpenBLAS is the one loaded", "[backend]") {
  const auto rt = mmh::backend::runtime_info();
  CHECK_THAT(rt.blas, Catch::StartsWith("OpenBLAS"));
  CHECK(rt.openblas_parallel == 2);
  CHECK(mmh::backend::describe_openblas_parallel(rt.openblas_parallel) == "OpenMP");
}
#endif
