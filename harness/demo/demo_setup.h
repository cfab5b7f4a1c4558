#pragma once
// `mmharness demo-setup`: a folder with everything a demo run needs and
// nothing downloaded: data/ (the nine benchmarks, demo_data.h) and model/ (a
// small LLaVA-1.5-layout checkpoint with RANDOM weights and the tokenizer of
// demo_tokenizer.h). The folder is written whole or not at all (it is built
// next to the target and renamed into place) and stamped with the arguments,
// so running it again with the same arguments is a no-op.
#include <cstdint>
#include <filesystem>
#include <string>

#include "harness/demo/demo_data.h"
#include "harness/demo/demo_tokenizer.h"
#include "model_backend/io/random_checkpoint.h"

namespace mmh::demo {

inline constexpr int kDemoFormatVersion = 1;  // bump when the files written change
inline constexpr std::int64_t kMaxDemoSamples = 10000;
inline constexpr std::int64_t kMinDemoPool = 8;  // 8-shot prompts need 8 demonstrations
inline constexpr const char* kDemoStampFile = "demo-setup.json";

struct DemoSetupOptions {
  std::filesystem::path out;
  std::int64_t samples = 12, pool = 16;  // signed, so a negative value is refused rather than wrapped
  std::uint64_t seed = 0;
};

// mmh::Error naming the option (--out, --samples, --pool) for values that make no sense.
void validate_demo_options(const DemoSetupOptions& options);

// The network sizes of the demo model (RandomLlavaSpec's defaults); vocab and special ids come from the tokenizer.
weights::RandomLlavaSpec demo_model_spec(const DemoTokenizerInfo& tokenizer, std::uint64_t seed);

struct DemoSetupResult {
  bool up_to_date = false;  // the folder already held this demo; nothing was written
  std::filesystem::path out, data_root, model_dir;
  std::vector<DemoTaskCounts> tasks;
  std::size_t images = 0, vocab_size = 0, parameters = 0;
  std::int32_t image_token_id = -1, pad_token_id = -1;
};

// Writes (or finds up to date) the demo folder. Refuses, with an mmh::Error
// naming it, an --out that is a file or a non-empty folder not written by
// demo-setup with these same arguments.
DemoSetupResult demo_setup(const DemoSetupOptions& options);

}  // namespace mmh::demo
