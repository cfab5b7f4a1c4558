#pragma once
// One loader per model family, each in its own file (families/<name>.cpp);
// model.cpp picks one from config.json's model_type.
#include <filesystem>
#include <memory>

#include "model_backend/model.h"
#include "model_backend/nn/layers.h"

namespace mmh::backend {

std::unique_ptr<Model> load_llava(const std::filesystem::path& dir, const LoadOptions& options,
                                  const nn::Placement& placement);

}  // namespace mmh::backend
