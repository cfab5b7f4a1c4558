#pragma once
// Writes a LLaVA-1.5-layout checkpoint folder with seeded random weights:
// config.json, model.safetensors (transformers 4.44 names), preprocessor and
// generation configs, and the tokenizer files copied from another folder.
// For benchmarks at a chosen size, the demo, and bad-checkpoint tests; the
// weights are random, so the text it generates is meaningless.
#include <cstdint>
#include <filesystem>

namespace mmh::weights {

struct RandomLlavaSpec {
  int vision_hidden = 48, vision_intermediate = 96, vision_layers = 2, vision_heads = 4;
  int image_size = 36, patch_size = 6;
  int text_hidden = 64, text_intermediate = 172, text_layers = 2, text_heads = 4, text_kv_heads = 2;
  int max_positions = 2048;
  // Must match the tokenizer copied in: len(tokenizer), the <image> id and the pad id.
  int vocab_size = 2002, image_token_index = 2000, pad_token_id = 2001;
  std::uint64_t seed = 0;
  std::filesystem::path tokenizer_from;  // folder holding tokenizer.model / tokenizer.json and their configs
};

void write_random_llava(const std::filesystem::path& out_dir, const RandomLlavaSpec& spec);

}  // namespace mmh::weights
