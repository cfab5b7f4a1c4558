// mmharness generate: one prompt through a checkpoint, greedy. The quickest
// way to see what a model does with a prompt and its images, and to compare
// token ids and logits with another implementation (--json, --logits-out).
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "harness/cli/app.h"
#include "harness/cli/backend_plugin.h"
#include "harness/cli/store_json.h"
#include "model_backend/io/safetensors.h"

namespace mmh::cli {
namespace {

struct GenerateCommandOptions {
  std::string model;
  std::string prompt;
  std::vector<std::string> images;
  int max_new_tokens = 32;
  std::vector<std::string> stops;
  std::string device = "cpu";
  std::string dtype = "fp32";
  std::string variant;
  bool json = false;
  std::string logits_out;
};

void run_generate(const GenerateCommandOptions& o) {
  namespace fs = std::filesystem;
  if (o.max_new_tokens < 0 || o.max_new_tokens > 1'000'000)
    throw Error("--max-new-tokens must be between 0 and 1000000");
  backend::GenerationRequest request;
  request.text = o.prompt;
  for (const auto& image : o.images) {
    if (!fs::is_regular_file(image)) throw Error(image, "image not found");
    request.images.emplace_back(image);
  }
  backend::LoadOptions load;
  load.device = o.device;
  load.dtype = o.dtype;
  load.weights_variant = o.variant;
  const auto t0 = std::chrono::steady_clock::now();
  auto model = backend_load_model(o.model, load);
  const auto t1 = std::chrono::steady_clock::now();

  backend::GenerateOptions options;
  options.max_new_tokens = o.max_new_tokens;
  options.stop_strings = o.stops;
  options.batch_size = 1;
  options.prompt_logits = !o.logits_out.empty();
  const backend::Generation g = model->generate({request}, options).front();
  const auto t2 = std::chrono::steady_clock::now();

  if (!o.logits_out.empty()) {
    const std::int64_t rows = g.expanded_length, vocab = g.vocab_size;
    weights::write_safetensors(o.logits_out, {{"logits", weights::DType::kF32, {rows, vocab}, g.prompt_logits.data(),
                                               g.prompt_logits.size() * sizeof(float)}});
  }
  if (o.json) {
    nlohmann::json j;
    j["input_ids"] = g.input_ids;
    j["expanded_length"] = g.expanded_length;
    j["generated_ids"] = g.generated_ids;
    j["text"] = g.text;
    j["stop_reason"] = g.stop_reason;
    print_json(std::cout, j);  // model text may end inside a UTF-8 sequence: shown as U+FFFD
    return;
  }
  std::cout << g.text << "\n";
  const double load_s = std::chrono::duration<double>(t1 - t0).count();
  const double gen_s = std::chrono::duration<double>(t2 - t1).count();
  std::cerr << model->info().family << " (" << model->info().weights << ", " << model->info().dtype << ", "
            << model->info().device << "): " << g.input_ids.size() << " prompt tokens, " << g.expanded_length
            << " positions with images, " << g.generated_ids.size() << " new tokens (stop: " << g.stop_reason
            << "); load " << load_s << " s, generate " << gen_s << " s\n";
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto o = std::make_shared<GenerateCommandOptions>();
  CLI::App* cmd = app.add_subcommand("generate", "Greedy continuation of one prompt by a checkpoint");
  cmd->add_option("--model", o->model, "Checkpoint folder (Hugging Face layout: config.json, *.safetensors, tokenizer)")
      ->required();
  cmd->add_option("--prompt", o->prompt, "Prompt text; each <image> takes the next --image")->required();
  cmd->add_option("--image", o->images, "Image file (JPEG or PNG), once per <image>, in order");
  cmd->add_option("--max-new-tokens", o->max_new_tokens, "Most tokens to generate")->capture_default_str();
  cmd->add_option("--stop", o->stops, "Stop when the continuation contains this text (repeatable); it is cut there");
  cmd->add_option("--device", o->device, "cpu, cuda or cuda:N")->capture_default_str();
  cmd->add_option("--dtype", o->dtype, "fp32 or bf16")->capture_default_str();
  cmd->add_option("--variant", o->variant, "Weights variant: reads model.VARIANT.safetensors (e.g. bf16)");
  cmd->add_flag("--json", o->json, "Print input_ids, expanded_length, generated_ids, text and stop_reason as JSON");
  cmd->add_option("--logits-out", o->logits_out,
                  "Write the prompt forward pass's logits [positions, vocab] (fp32) to this safetensors file");
  cmd->callback([o] { run_generate(*o); });
}

}  // namespace mmh::cli
