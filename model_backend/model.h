#pragma once
// The model backend's public interface, torch-free: the CLI and the harness
// see only this. A Model is one loaded checkpoint (vision tower, connector,
// language decoder, tokenizer, image processor) on one device; generate()
// runs batched greedy decoding with a KV cache.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prompts/prompt.h"

namespace mmh::tokenizer {
class Tokenizer;
}

namespace mmh::backend {

struct LoadOptions {
  std::string device = "cpu";  // "cpu", "cuda", "cuda:N"
  std::string dtype = "fp32";  // "fp32", "bf16"
  // Which weights file: "" reads model.safetensors (or its index); "bf16" reads model.bf16.safetensors.
  std::string weights_variant;
};

struct ModelInfo {
  std::string family;          // "llava"
  std::filesystem::path path;
  std::string device, device_name, dtype;
  std::string weights;         // "model.safetensors" / "4 shards of model.safetensors.index.json"
  int context_length = 0;      // max_position_embeddings
  int image_features_per_image = 0;
  std::int64_t parameters = 0;
  std::vector<std::string> unused_tensors;  // stored but not part of the model as run
};

// One prompt to continue. Either `text` with one "<image>" per entry of
// `images` (as the HF processor takes it), or `input_ids` already tokenized
// (same image rule: one image-token id per image).
struct GenerationRequest {
  std::string text;
  std::vector<std::filesystem::path> images;
  std::optional<std::vector<std::int32_t>> input_ids;
};

struct GenerateOptions {
  int max_new_tokens = 32;
  std::vector<std::string> stop_strings;  // stop when the decoded continuation contains one (it is cut there)
  bool stop_at_eos = true;
  int batch_size = 8;
  bool prompt_logits = false;  // keep the prompt forward pass's logits [expanded length, vocab]
  bool step_logits = false;    // keep the logits that chose each new token [new tokens, vocab]
  // Run a prefix that all prompts of a batch share (fixed demonstrations) once
  // and copy its KV cache to every row, instead of once per prompt.
  bool share_prefix = true;
};

struct Generation {
  std::vector<std::int32_t> input_ids;  // the prompt, one image token per image
  int expanded_length = 0;              // positions the decoder saw for the prompt
  std::vector<std::int32_t> generated_ids;
  std::string text;                     // decoded continuation, special tokens skipped, cut at a stop string
  std::string stop_reason;              // "eos", "stop_string", "length"
  std::vector<float> prompt_logits;     // [expanded_length, vocab] when asked
  std::vector<float> step_logits;       // [generated, vocab] when asked
  int vocab_size = 0;
  // Wall time of the batch this prompt ran in: the prompt forward pass, and the decode steps after it.
  double prefill_seconds = 0, decode_seconds = 0;
  int shared_prefix = 0;  // leading positions computed once for the whole batch
};

// What the vision side makes of one image (parity tests, debugging).
struct ImageFeatures {
  std::vector<std::int64_t> selected_shape, projected_shape;
  std::vector<float> selected;   // vision tower output after layer and strategy selection
  std::vector<float> projected;  // connector output: the decoder's image embeddings
};

struct CacheStats {
  std::int64_t image_hits = 0, image_misses = 0;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ModelInfo& info() const = 0;
  virtual const tokenizer::Tokenizer& tokenizer() const = 0;
  // A task prompt rendered the family's way: text with the family's image placeholders.
  virtual GenerationRequest render(const prompts::Prompt& prompt) const = 0;
  // Tokens the decoder sees for a request (images expanded), without running it.
  virtual int expanded_length(const GenerationRequest& request) const = 0;
  virtual std::vector<Generation> generate(const std::vector<GenerationRequest>& requests,
                                           const GenerateOptions& options) = 0;
  virtual ImageFeatures image_features(const std::filesystem::path& image) = 0;
  virtual CacheStats cache_stats() const = 0;
};

// Reads DIR (config.json, weights, tokenizer, preprocessor_config.json) and
// builds the family named by config.json's model_type.
std::unique_ptr<Model> load_model(const std::filesystem::path& dir, const LoadOptions& options);

}  // namespace mmh::backend

// The plugin entry point the CLI resolves with dlsym (harness/cli/backend_plugin.cpp).
extern "C" void mmh_backend_load_model(const std::filesystem::path* dir, const mmh::backend::LoadOptions* options,
                                       std::unique_ptr<mmh::backend::Model>* out);
