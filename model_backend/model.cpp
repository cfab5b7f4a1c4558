#include "model_backend/model.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>

#include <cstdlib>
#include <thread>

#include "common/error.h"
#include "model_backend/families/family.h"
#include "model_backend/io/model_config.h"

namespace mmh::backend {

namespace fs = std::filesystem;

namespace {

nn::Placement placement_for(const LoadOptions& options) {
  nn::Placement p;
  if (options.dtype == "fp32") p.dtype = at::kFloat;
  else if (options.dtype == "bf16") p.dtype = at::kBFloat16;
  else throw Error("--dtype " + options.dtype + " is not supported (fp32, bf16)");
  const std::string& d = options.device;
  if (d == "cpu") {
    // LibTorch starts with one intra-op thread here; use every core unless OMP_NUM_THREADS says otherwise.
    const char* omp = std::getenv("OMP_NUM_THREADS");
    const int threads = omp && *omp ? std::atoi(omp) : static_cast<int>(std::thread::hardware_concurrency());
    if (threads > 0) at::set_num_threads(threads);
    return p;
  }
  if (d == "cuda" || d.rfind("cuda:", 0) == 0) {
    if (!at::hasCUDA())
      throw Error("--device " + d + ": this LibTorch has no CUDA or no GPU is visible (build against a pip torch "
                  "with CUDA: see README, GPU build)");
    int index = 0;
    if (d.size() > 5) {
      const std::string n = d.substr(5);
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos)
        throw Error("--device " + d + ": expected cuda or cuda:N");
      index = std::stoi(n);
    }
    const int count = static_cast<int>(at::getNumGPUs());
    if (index >= count)
      throw Error("--device " + d + ": only " + std::to_string(count) + " CUDA device(s) visible");
    p.device = at::Device(at::kCUDA, static_cast<at::DeviceIndex>(index));
    return p;
  }
  throw Error("--device " + d + " is not supported (cpu, cuda, cuda:N)");
}

}  // namespace

std::unique_ptr<Model> load_model(const fs::path& dir, const LoadOptions& options) {
  if (!fs::is_directory(dir)) throw Error(dir.string(), "is not a checkpoint folder (config.json, *.safetensors, tokenizer)");
  const nn::Placement placement = placement_for(options);
  const weights::ModelConfig config = weights::read_model_config(dir);  // refuses unsupported families
  std::unique_ptr<Model> model;
  if (config.model_type == "llava") model = load_llava(dir, options, placement);
  // A tiny model's operations are too small to split: waking a second thread
  // for each costs more than it saves (the demo's 0.3M-parameter model: 16 s
  // for its 216 samples on 2 threads, 2.2 s on one). OMP_NUM_THREADS still wins.
  constexpr std::int64_t kSingleThreadBelow = 5'000'000;
  const char* omp = std::getenv("OMP_NUM_THREADS");
  if (model && placement.device.is_cpu() && !(omp && *omp) && model->info().parameters < kSingleThreadBelow)
    at::set_num_threads(1);
  return model;
}

}  // namespace mmh::backend

extern "C" void mmh_backend_load_model(const std::filesystem::path* dir, const mmh::backend::LoadOptions* options,
                                       std::unique_ptr<mmh::backend::Model>* out) {
  *out = mmh::backend::load_model(*dir, *options);
}
