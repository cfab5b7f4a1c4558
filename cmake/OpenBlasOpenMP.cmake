# Make executables load the OpenMP build of OpenBLAS, whatever the system's
# libblas.so.3 alternative points at.
#
# Debian's LibTorch does its fp32 matmuls through libblas.so.3. The OpenMP
# build of OpenBLAS shares LibTorch's libgomp thread pool; the pthread build
# spins its own threads that fight it for the cores (~2.5x slower on 2 cores),
# and the reference BLAS is ~35x slower. Linking the executable itself against
# openblas-openmp/libblas.so.3 (found through its RUNPATH) loads that library
# first; libtorch's own dependency on the soname then resolves to it.
#
# mmh_use_openblas_openmp(target) applies this to an executable. With a pip
# LibTorch (which bundles MKL or its own BLAS) it does nothing.
set(MMH_OPENBLAS_OPENMP_DIR "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp"
    CACHE PATH "Folder of Debian's libopenblas0-openmp")

set(MMH_USE_OPENBLAS_OPENMP OFF)
if(TORCH_INSTALL_PREFIX STREQUAL "/usr")  # Debian's LibTorch, not a pip wheel
  if(EXISTS "${MMH_OPENBLAS_OPENMP_DIR}/libblas.so.3")
    set(MMH_USE_OPENBLAS_OPENMP ON)
    message(STATUS "OpenBLAS (OpenMP): ${MMH_OPENBLAS_OPENMP_DIR}")
  else()
    message(WARNING "libopenblas0-openmp not found in ${MMH_OPENBLAS_OPENMP_DIR}: "
                    "fp32 models will run on whatever libblas.so.3 points at")
  endif()
endif()

function(mmh_use_openblas_openmp target)
  if(MMH_USE_OPENBLAS_OPENMP)
    target_link_options(${target} PRIVATE "LINKER:--no-as-needed")
    target_link_libraries(${target} PRIVATE
      "${MMH_OPENBLAS_OPENMP_DIR}/libblas.so.3" "${MMH_OPENBLAS_OPENMP_DIR}/liblapack.so.3")
    set_property(TARGET ${target} APPEND PROPERTY BUILD_RPATH "${MMH_OPENBLAS_OPENMP_DIR}")
    set_property(TARGET ${target} APPEND PROPERTY INSTALL_RPATH "${MMH_OPENBLAS_OPENMP_DIR}")
  endif()
endfunction()
