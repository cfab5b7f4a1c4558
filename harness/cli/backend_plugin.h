#pragma once
// The model backend (LibTorch) is a shared library, libmmh_backend.so, next to
// the mmharness executable. Commands that need it load it on first use, so
// the others start in milliseconds instead of paying LibTorch's ~0.5 s start-up.
#include <filesystem>
#include <memory>

#include "model_backend/model.h"
#include "model_backend/runtime_info.h"

namespace mmh::cli {

// Loads the backend if needed; throws mmh::Error naming the library when it
// cannot be loaded.
backend::RuntimeInfo backend_runtime_info();

// Loads a checkpoint folder through the backend (see model_backend/model.h).
std::unique_ptr<backend::Model> backend_load_model(const std::filesystem::path& dir,
                                                   const backend::LoadOptions& options);

}  // namespace mmh::cli
