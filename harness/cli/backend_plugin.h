#pragma once
// The model backend (LibTorch) is a shared library, libmmh_backend.so, next to
// the mmharness executable. Commands that need it load it on first use, so
// the others start in milliseconds instead of paying LibTorch's ~0.5 s start-up.
#include "model_backend/runtime_info.h"

namespace mmh::cli {

// Loads the backend if needed; throws mmh::Error naming the library when it
// cannot be loaded.
backend::RuntimeInfo backend_runtime_info();

}  // namespace mmh::cli
