// Generation throughput of the LLaVA backend on a seeded random checkpoint of
// a chosen size (weights random, so only the speed means anything):
// load time, image encoding, prefill and decode tokens/s at batch 1 and B,
// and what the image-feature cache saves on a few-shot prompt.
//
//   bench_gen IMAGES_DIR TOKENIZER_DIR [--device cpu|cuda] [--dtype fp32|bf16] [--size small|base] [--batch B]
// IMAGES_DIR: PNG/JPEG files (e.g. ../shared/refdata/models/llava-tiny-a/images);
// TOKENIZER_DIR: a LLaVA tokenizer with <image>=2000, <pad>=2001 (llava-tiny-a's).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "model_backend/io/random_checkpoint.h"
#include "model_backend/model.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

mmh::weights::RandomLlavaSpec spec_for(const std::string& size) {
  mmh::weights::RandomLlavaSpec s;
  if (size == "small") {  // ~30M parameters: CLIP-S/14 at 224 + an 8-layer 512-wide decoder
    s.vision_hidden = 384, s.vision_intermediate = 1536, s.vision_layers = 6, s.vision_heads = 6;
    s.image_size = 224, s.patch_size = 14;
    s.text_hidden = 512, s.text_intermediate = 1376, s.text_layers = 8, s.text_heads = 8, s.text_kv_heads = 4;
  } else if (size == "base") {  // ~330M: CLIP-B/14 at 336 + a 16-layer 1024-wide decoder
    s.vision_hidden = 768, s.vision_intermediate = 3072, s.vision_layers = 12, s.vision_heads = 12;
    s.image_size = 336, s.patch_size = 14;
    s.text_hidden = 1024, s.text_intermediate = 2816, s.text_layers = 16, s.text_heads = 16, s.text_kv_heads = 8;
  } else {
    std::fprintf(stderr, "--size must be small or base\n");
    std::exit(2);
  }
  s.max_positions = 4096;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s IMAGES_DIR TOKENIZER_DIR [--device D] [--dtype T] [--size S] [--batch B]\n", argv[0]);
    return 2;
  }
  const fs::path images_dir = argv[1], tokenizer_dir = argv[2];
  mmh::backend::LoadOptions load;
  std::string size = "small";
  int batch = 8;
  for (int i = 3; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--device")) load.device = argv[i + 1];
    else if (!std::strcmp(argv[i], "--dtype")) load.dtype = argv[i + 1];
    else if (!std::strcmp(argv[i], "--size")) size = argv[i + 1];
    else if (!std::strcmp(argv[i], "--batch")) batch = std::stoi(argv[i + 1]);
  }
  std::vector<fs::path> images;
  for (const auto& e : fs::directory_iterator(images_dir))
    if (e.path().extension() == ".png" || e.path().extension() == ".jpg") images.push_back(e.path());
  std::sort(images.begin(), images.end());
  if (images.empty()) {
    std::fprintf(stderr, "no .png/.jpg in %s\n", images_dir.c_str());
    return 2;
  }

  const fs::path dir = fs::temp_directory_path() / ("mmh_bench_gen_" + size);
  auto spec = spec_for(size);
  spec.tokenizer_from = tokenizer_dir;
  if (!fs::exists(dir / "model.safetensors")) mmh::weights::write_random_llava(dir, spec);

  auto t = Clock::now();
  auto model = mmh::backend::load_model(dir, load);
  const double load_s = since(t);
  const auto& info = model->info();
  std::printf("model: random LLaVA-%s, %.1fM parameters, %s on %s, %d image features per image\n", size.c_str(),
              info.parameters / 1e6, info.dtype.c_str(), info.device.c_str(), info.image_features_per_image);
  std::printf("load: %.3f s\n", load_s);

  // Image encoding (vision tower + projector), cache bypassed.
  t = Clock::now();
  const int encodes = 8;
  for (int i = 0; i < encodes; ++i) model->image_features(images[i % images.size()]);
  std::printf("image encode: %.1f ms per image\n", 1e3 * since(t) / encodes);

  // One-image prompts: prefill (1 new token) and decode (32 new tokens), batch 1 and `batch`.
  const std::string question = "USER: <image>\nDescribe the picture in one sentence, mentioning every colour. ASSISTANT:";
  auto requests = [&](int n) {
    std::vector<mmh::backend::GenerationRequest> r(n);
    for (int i = 0; i < n; ++i) r[i] = {question, {images[i % images.size()]}, {}};
    return r;
  };
  const int prompt_positions = model->expanded_length(requests(1)[0]);
  for (int b : {1, batch}) {
    mmh::backend::GenerateOptions options;
    options.max_new_tokens = 33;
    options.batch_size = b;
    options.stop_at_eos = false;
    model->generate(requests(b), options);  // warm-up; fills the feature cache
    const auto g = model->generate(requests(b), options).front();
    const int steps = static_cast<int>(g.generated_ids.size()) - 1;  // the first token comes from the prefill
    std::printf("batch %2d: prefill %6.0f positions/s (%d per prompt), decode %7.1f tokens/s (%.2f ms per step)\n", b,
                b * prompt_positions / g.prefill_seconds, prompt_positions, b * steps / g.decode_seconds,
                1e3 * g.decode_seconds / steps);
  }

  // A 4-shot prompt with 5 images, twice: the second pass reuses every image's features.
  std::string fewshot;
  std::vector<fs::path> shot_images;
  for (int i = 0; i < 4; ++i) {
    fewshot += "<image>Output: a picture.\n";
    shot_images.push_back(images[i % images.size()]);
  }
  fewshot += "<image>Output:";
  shot_images.push_back(images[4 % images.size()]);
  auto fresh = mmh::backend::load_model(dir, load);
  mmh::backend::GenerateOptions one;
  one.max_new_tokens = 1;
  t = Clock::now();
  fresh->generate({{fewshot, shot_images, {}}}, one);
  const double cold = since(t);
  t = Clock::now();
  fresh->generate({{fewshot, shot_images, {}}}, one);
  const double warm = since(t);
  std::printf("4-shot prompt (%d positions): %.1f ms cold, %.1f ms with cached image features (%lld hits)\n",
              fresh->expanded_length({fewshot, shot_images, {}}), 1e3 * cold, 1e3 * warm,
              static_cast<long long>(fresh->cache_stats().image_hits));

  // Fixed demonstrations: 8 prompts with the same 4 shots and different queries, the prefix run once or 8 times.
  std::vector<mmh::backend::GenerationRequest> fixed;
  for (int i = 0; i < 8; ++i) {
    mmh::backend::GenerationRequest r{fewshot, shot_images, {}};
    r.images.back() = images[i % images.size()];
    fixed.push_back(r);
  }
  mmh::backend::GenerateOptions batch8 = one;
  batch8.batch_size = 8;
  double seconds[2];
  int shared = 0;
  for (int share = 0; share < 2; ++share) {
    batch8.share_prefix = share == 1;
    t = Clock::now();
    shared = std::max(shared, fresh->generate(fixed, batch8).front().shared_prefix);
    seconds[share] = since(t);
  }
  std::printf("8 prompts, same 4 shots (%d shared positions), batch 8: %.1f s, %.1f s with the shared prefix run once\n",
              shared, seconds[0], seconds[1]);
  return 0;
}
