// LLaVA-1.5 parity with transformers 4.44.2 on the tiny reference checkpoint
// (../shared/refdata/models/llava-tiny-a): ids, image features, logits,
// greedy generations; then the engine's own guarantees (batching, KV cache,
// feature cache, stop strings).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "model_backend/io/safetensors.h"
#include "model_backend/model.h"
#include "support/refdata.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using mmh::backend::GenerateOptions;
using mmh::backend::GenerationRequest;
using nlohmann::json;

namespace {

fs::path model_dir() { return mmh::test::refdata("models/llava-tiny-a"); }

const json& expected() {
  static const json doc = json::parse(mmh::test::read_file(model_dir() / "expected.json"));
  return doc;
}

mmh::backend::Model& fp32_model() {
  static auto model = mmh::backend::load_model(model_dir(), {});
  return *model;
}

GenerationRequest request_for(const json& prompt) {
  GenerationRequest r;
  r.text = prompt["text"].get<std::string>();
  for (const auto& name : prompt["images"]) r.images.push_back(model_dir() / "images" / (name.get<std::string>() + ".png"));
  return r;
}

float max_abs_diff(const float* a, const float* b, std::size_t n) {
  float worst = 0;
  for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

std::int32_t argmax_row(const std::vector<float>& logits, std::size_t row, std::size_t vocab) {
  const float* r = logits.data() + row * vocab;
  return static_cast<std::int32_t>(std::max_element(r, r + vocab) - r);
}

float margin_row(const std::vector<float>& logits, std::size_t row, std::size_t vocab) {
  std::vector<float> r(logits.begin() + row * vocab, logits.begin() + (row + 1) * vocab);
  std::partial_sort(r.begin(), r.begin() + 2, r.end(), std::greater<>());
  return r[0] - r[1];
}

GenerateOptions eight_tokens() {
  GenerateOptions o;
  o.max_new_tokens = 8;
  o.prompt_logits = true;
  o.step_logits = true;
  o.batch_size = 1;
  return o;
}

}  // namespace

TEST_CASE("llava-tiny-a: every reference prompt matches transformers in fp32", "[llava][refdata]") {
  auto& model = fp32_model();
  const auto vocab = static_cast<std::size_t>(expected()["vocab_size"].get<int>());
  for (const auto& prompt : expected()["prompts"]) {
    const std::string name = prompt["name"];
    INFO("prompt " << name);
    const auto g = model.generate({request_for(prompt)}, eight_tokens()).front();
    CHECK(g.input_ids == prompt["input_ids"].get<std::vector<std::int32_t>>());
    const auto expanded = prompt["expanded_input_ids"].get<std::vector<std::int32_t>>();
    REQUIRE(g.expanded_length == prompt["expanded_length"].get<int>());
    REQUIRE(g.expanded_length == static_cast<int>(expanded.size()));
    CHECK(model.expanded_length(request_for(prompt)) == g.expanded_length);
    REQUIRE(g.prompt_logits.size() == expanded.size() * vocab);

    // Argmax at every position the decoder sees.
    const auto argmax = prompt["argmax_all_positions"].get<std::vector<std::int32_t>>();
    int mismatches = 0;
    for (std::size_t i = 0; i < argmax.size(); ++i) mismatches += argmax_row(g.prompt_logits, i, vocab) != argmax[i];
    CHECK(mismatches == 0);

    // The last four rows in full, within 1e-4.
    const auto& last4 = prompt["logits_last4_positions"];
    REQUIRE(last4.size() == 4);
    float worst = 0;
    for (std::size_t r = 0; r < 4; ++r) {
      const auto row = last4[r].get<std::vector<float>>();
      const std::size_t at = expanded.size() - 4 + r;
      worst = std::max(worst, max_abs_diff(g.prompt_logits.data() + at * vocab, row.data(), vocab));
    }
    CHECK(worst <= 1e-4f);

    // Greedy continuation: ids and text.
    const auto& gen = prompt["generation"];
    CHECK(g.generated_ids == gen["new_ids"].get<std::vector<std::int32_t>>());
    CHECK(g.text == gen["new_text_skip_special"].get<std::string>());
    // Per-step top-1 logit, as transformers scored it with its KV cache.
    const auto& steps = gen["steps"];
    REQUIRE(g.step_logits.size() == g.generated_ids.size() * vocab);
    for (std::size_t s = 0; s < steps.size() && s < g.generated_ids.size(); ++s) {
      const auto top = steps[s]["top5_logits"].get<std::vector<float>>();
      CHECK(std::fabs(g.step_logits[s * vocab + g.generated_ids[s]] - top[0]) <= 1e-4f);
    }
  }
}

TEST_CASE("llava-tiny-a: vision tower and projector outputs match per image", "[llava][refdata]") {
  auto& model = fp32_model();
  const auto refs = mmh::weights::SafetensorsFile::open(model_dir() / "reference_tensors.safetensors");
  for (const auto& [name, info] : expected()["per_image"].items()) {
    INFO("image " << name);
    const auto f = model.image_features(model_dir() / "images" / (name + ".png"));
    const auto* selected = refs->find("image." + name + ".vision_selected_features");
    const auto* projected = refs->find("image." + name + ".projector_output");
    REQUIRE(selected);
    REQUIRE(projected);
    // The reference tensors carry a batch dimension of 1.
    std::vector<std::int64_t> sel_shape(selected->shape.end() - 2, selected->shape.end());
    std::vector<std::int64_t> proj_shape(projected->shape.end() - 2, projected->shape.end());
    REQUIRE(f.selected_shape == sel_shape);
    REQUIRE(f.projected_shape == proj_shape);
    const auto want_sel = mmh::weights::to_float(*selected), want_proj = mmh::weights::to_float(*projected);
    CHECK(max_abs_diff(f.selected.data(), want_sel.data(), want_sel.size()) <= 1e-4f);
    CHECK(max_abs_diff(f.projected.data(), want_proj.data(), want_proj.size()) <= 1e-4f);
  }
}

TEST_CASE("llava-tiny-a: the bf16 weights run and agree on argmax where fp32 is decisive", "[llava][refdata]") {
  mmh::backend::LoadOptions bf16;
  bf16.dtype = "bf16";
  bf16.weights_variant = "bf16";
  auto model = mmh::backend::load_model(model_dir(), bf16);
  REQUIRE(model->info().dtype == "bf16");
  const auto vocab = static_cast<std::size_t>(expected()["vocab_size"].get<int>());
  int decisive = 0, agree = 0;
  for (const auto& prompt : expected()["prompts"]) {
    GenerateOptions o = eight_tokens();
    o.max_new_tokens = 1;
    const auto ref = fp32_model().generate({request_for(prompt)}, o).front();
    const auto low = model->generate({request_for(prompt)}, o).front();
    REQUIRE(low.prompt_logits.size() == ref.prompt_logits.size());
    for (int i = 0; i < ref.expanded_length; ++i) {
      if (margin_row(ref.prompt_logits, i, vocab) < 0.5f) continue;  // bf16 moves these logits by ~0.2 (verification.json)
      ++decisive;
      agree += argmax_row(low.prompt_logits, i, vocab) == argmax_row(ref.prompt_logits, i, vocab);
    }
  }
  INFO(agree << " of " << decisive << " decisive positions agree");
  REQUIRE(decisive > 100);
  CHECK(agree == decisive);
}

TEST_CASE("llava-tiny-a: a batch generates what each prompt generates alone", "[llava][engine][refdata]") {
  auto& model = fp32_model();
  std::vector<GenerationRequest> requests;
  for (const auto& prompt : expected()["prompts"]) requests.push_back(request_for(prompt));
  GenerateOptions alone = eight_tokens(), batched = eight_tokens();
  batched.batch_size = static_cast<int>(requests.size());
  const auto together = model.generate(requests, batched);
  REQUIRE(together.size() == requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    INFO("prompt " << i);
    const auto single = model.generate({requests[i]}, alone).front();
    CHECK(together[i].generated_ids == single.generated_ids);
    CHECK(together[i].text == single.text);
    REQUIRE(together[i].step_logits.size() == single.step_logits.size());
    CHECK(max_abs_diff(together[i].step_logits.data(), single.step_logits.data(), single.step_logits.size()) <= 1e-4f);
    REQUIRE(together[i].prompt_logits.size() == single.prompt_logits.size());
    CHECK(max_abs_diff(together[i].prompt_logits.data(), single.prompt_logits.data(), single.prompt_logits.size()) <=
          1e-4f);
  }
}

TEST_CASE("llava-tiny-a: prefill + cached decode equals one full forward pass", "[llava][engine][refdata]") {
  auto& model = fp32_model();
  const auto vocab = static_cast<std::size_t>(expected()["vocab_size"].get<int>());
  for (const auto& prompt : expected()["prompts"]) {
    INFO("prompt " << prompt["name"].get<std::string>());
    const auto g = model.generate({request_for(prompt)}, eight_tokens()).front();
    REQUIRE(g.generated_ids.size() == 8);
    // The prompt and all generated tokens but the last, in one pass: its last 8 rows chose the 8 tokens.
    GenerationRequest full = request_for(prompt);
    std::vector<std::int32_t> ids = g.input_ids;
    ids.insert(ids.end(), g.generated_ids.begin(), g.generated_ids.end() - 1);
    full.input_ids = ids;
    GenerateOptions o = eight_tokens();
    o.max_new_tokens = 1;
    const auto f = model.generate({full}, o).front();
    REQUIRE(f.expanded_length == g.expanded_length + 7);
    const float* tail = f.prompt_logits.data() + std::size_t(g.expanded_length - 1) * vocab;
    CHECK(max_abs_diff(tail, g.step_logits.data(), 8 * vocab) <= 1e-4f);
  }
}

TEST_CASE("llava-tiny-a: a repeated image is encoded once", "[llava][engine][refdata]") {
  auto model = mmh::backend::load_model(model_dir(), {});
  GenerationRequest r;
  r.text = "<image>a.\n<image>b.\n<image>";
  const fs::path red = model_dir() / "images" / "red_square.png";
  r.images = {red, red, red};
  GenerateOptions o;
  o.max_new_tokens = 1;
  model->generate({r, r}, o);
  CHECK(model->cache_stats().image_misses == 1);
  CHECK(model->cache_stats().image_hits == 5);
}

TEST_CASE("llava-tiny-a: stop strings end the continuation and cut the text", "[llava][engine][refdata]") {
  auto& model = fp32_model();
  const auto& prompt = expected()["prompts"][0];
  const std::string full = prompt["generation"]["new_text_skip_special"];
  REQUIRE(full.size() > 4);
  const std::string stop = full.substr(full.size() / 2, 2);
  GenerateOptions o;
  o.max_new_tokens = 8;
  o.stop_strings = {stop};
  const auto g = model.generate({request_for(prompt)}, o).front();
  CHECK(g.stop_reason == "stop_string");
  CHECK(g.text == full.substr(0, full.find(stop)));
  CHECK(g.generated_ids.size() <= 8);
}

TEST_CASE("llava-tiny-a: a shared few-shot prefix runs once and changes nothing", "[llava][engine][refdata]") {
  auto& model = fp32_model();
  auto image = [](const char* name) { return model_dir() / "images" / (std::string(name) + ".png"); };
  const std::string demos = "<image>Output: a red square.\n<image>Output: a blue circle.\n<image>Output: noise.\n";
  const std::vector<fs::path> demo_images = {image("red_square"), image("blue_circle"), image("noise")};
  std::vector<GenerationRequest> requests;
  for (const auto& [query, name] : std::vector<std::pair<std::string, const char*>>{
           {"<image>Output:", "gradient"}, {"<image>Output:", "small_stripes"}, {"<image>Output: the", "red_square"}}) {
    GenerationRequest r{demos + query, demo_images, {}};
    r.images.push_back(image(name));
    requests.push_back(r);
  }
  GenerateOptions shared = eight_tokens(), separate = eight_tokens();
  shared.batch_size = separate.batch_size = 3;
  separate.share_prefix = false;
  const auto with = model.generate(requests, shared);
  const auto without = model.generate(requests, separate);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    INFO("prompt " << i);
    const auto alone = model.generate({requests[i]}, eight_tokens()).front();
    CHECK(with[i].shared_prefix > 3 * 36);  // BOS and the three demonstrations, images included
    CHECK(without[i].shared_prefix == 0);
    CHECK(alone.shared_prefix == 0);
    CHECK(with[i].generated_ids == without[i].generated_ids);
    CHECK(with[i].generated_ids == alone.generated_ids);
    REQUIRE(with[i].step_logits.size() == alone.step_logits.size());
    CHECK(max_abs_diff(with[i].step_logits.data(), alone.step_logits.data(), alone.step_logits.size()) <= 1e-4f);
    REQUIRE(with[i].prompt_logits.size() == alone.prompt_logits.size());
    CHECK(max_abs_diff(with[i].prompt_logits.data(), alone.prompt_logits.data(), alone.prompt_logits.size()) <= 1e-4f);
  }
}
