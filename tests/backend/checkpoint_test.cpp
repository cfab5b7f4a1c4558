// Loading checkpoints: the transformers layouts (old and new parameter names,
// sharded, fp16), and one clear error for each way a checkpoint or a request
// can be wrong. Uses seeded random LLaVA checkpoints with llava-tiny-a's tokenizer.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model_backend/io/random_checkpoint.h"
#include "model_backend/io/safetensors.h"
#include "model_backend/model.h"
#include "support/refdata.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using Catch::Contains;
using mmh::backend::GenerateOptions;
using mmh::backend::GenerationRequest;
using mmh::backend::load_model;
using mmh::weights::DType;

namespace {

fs::path tiny_dir() { return mmh::test::refdata("models/llava-tiny-a"); }
fs::path image(const std::string& name) { return tiny_dir() / "images" / (name + ".png"); }

void write_checkpoint(const fs::path& dir) {
  mmh::weights::RandomLlavaSpec spec;
  spec.seed = 7;
  spec.tokenizer_from = tiny_dir();
  mmh::weights::write_random_llava(dir, spec);
  fs::copy_file(tiny_dir() / "generation_config.json", dir / "generation_config.json",
                fs::copy_options::overwrite_existing);
}

std::uint16_t float_to_half(float f) {  // round to nearest even; the test weights are small and normal
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint32_t sign = (x >> 16) & 0x8000;
  const int exponent = int((x >> 23) & 0xff) - 127 + 15;
  std::uint32_t mantissa = x & 0x7fffff;
  if (exponent <= 0) return static_cast<std::uint16_t>(sign);  // flush tiny values
  std::uint32_t h = sign | std::uint32_t(exponent) << 10 | mantissa >> 13;
  const std::uint32_t rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) ++h;
  return static_cast<std::uint16_t>(h);
}

// Rewrites DIR/model.safetensors: names mapped by `rename` (empty: dropped), values optionally to fp16.
void rewrite_weights(const fs::path& from, const fs::path& to, const std::function<std::string(const std::string&)>& rename,
                     bool to_fp16 = false) {
  const auto file = mmh::weights::SafetensorsFile::open(from);
  std::vector<std::vector<std::uint16_t>> halves;
  std::vector<mmh::weights::TensorToWrite> out;
  halves.reserve(file->tensors().size());
  for (const auto& t : file->tensors()) {
    const std::string name = rename(t.name);
    if (name.empty()) continue;
    if (to_fp16) {
      const auto values = mmh::weights::to_float(t);
      auto& h = halves.emplace_back(values.size());
      for (std::size_t i = 0; i < values.size(); ++i) h[i] = float_to_half(values[i]);
      out.push_back({name, DType::kF16, t.shape, h.data(), h.size() * 2});
    } else {
      out.push_back({name, t.dtype, t.shape, t.data, t.nbytes});
    }
  }
  mmh::weights::write_safetensors(to, out);
}

GenerationRequest two_image_request() {
  return {"USER: <image>\n<image>\nWhat differs? ASSISTANT:", {image("gradient"), image("blue_circle")}, {}};
}

std::vector<std::int32_t> generate_ids(mmh::backend::Model& model, const GenerationRequest& r = two_image_request()) {
  GenerateOptions o;
  o.max_new_tokens = 6;
  o.stop_at_eos = false;
  return model.generate({r}, o).front().generated_ids;
}

}  // namespace

TEST_CASE("a random checkpoint loads, reports what it does not use, and generates", "[checkpoint][refdata]") {
  mmh::test::TempDir dir;
  write_checkpoint(dir.path());
  auto model = load_model(dir.path(), {});
  const auto& info = model->info();
  CHECK(info.family == "llava");
  CHECK(info.weights == "model.safetensors");
  CHECK(info.image_features_per_image == 36);
  CHECK(info.parameters > 100000);
  // Feature layer -2: the last vision layer and the post-layernorm are stored but never run.
  const auto& unused = info.unused_tensors;
  CHECK(std::find(unused.begin(), unused.end(), "vision_tower.vision_model.post_layernorm.weight") != unused.end());
  CHECK(std::find(unused.begin(), unused.end(), "vision_tower.vision_model.encoder.layers.1.mlp.fc1.weight") !=
        unused.end());
  CHECK(generate_ids(*model).size() == 6);
}

TEST_CASE("newer transformers names, shards and fp16 weights load to the same model", "[checkpoint][refdata]") {
  mmh::test::TempDir base;
  write_checkpoint(base.path());
  const auto reference = generate_ids(*load_model(base.path(), {}));

  SECTION("the transformers 4.52 layout: model.language_model, model.vision_tower, top-level lm_head") {
    mmh::test::TempDir dir;
    write_checkpoint(dir.path());
    rewrite_weights(base / "model.safetensors", dir / "model.safetensors", [](const std::string& n) {
      for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
               {"language_model.model.", "model.language_model."},
               {"language_model.lm_head.", "lm_head."},
               {"vision_tower.", "model.vision_tower."},
               {"multi_modal_projector.", "model.multi_modal_projector."}})
        if (n.rfind(from, 0) == 0) return to + n.substr(from.size());
      return n;
    });
    CHECK(generate_ids(*load_model(dir.path(), {})) == reference);
  }
  SECTION("two shards with model.safetensors.index.json") {
    mmh::test::TempDir dir;
    write_checkpoint(dir.path());
    fs::remove(dir / "model.safetensors");
    auto vision = [](const std::string& n) { return n.rfind("language_model.", 0) == 0 ? std::string() : n; };
    auto text = [](const std::string& n) { return n.rfind("language_model.", 0) == 0 ? n : std::string(); };
    rewrite_weights(base / "model.safetensors", dir / "model-00001-of-00002.safetensors", vision);
    rewrite_weights(base / "model.safetensors", dir / "model-00002-of-00002.safetensors", text);
    nlohmann::json map;
    const auto stored = mmh::weights::SafetensorsFile::open(base / "model.safetensors");
    for (const auto& t : stored->tensors())
      map[t.name] = text(t.name).empty() ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
    mmh::test::write_file(dir / "model.safetensors.index.json", nlohmann::json{{"weight_map", map}}.dump());
    auto model = load_model(dir.path(), {});
    CHECK(model->info().weights == "2 shards of model.safetensors.index.json");
    CHECK(generate_ids(*model) == reference);
  }
  SECTION("fp16 weights are cast on the CPU and run in fp32") {
    mmh::test::TempDir dir;
    write_checkpoint(dir.path());
    rewrite_weights(base / "model.safetensors", dir / "model.safetensors", [](const std::string& n) { return n; }, true);
    auto model = load_model(dir.path(), {});
    CHECK(model->info().dtype == "fp32");
    CHECK(generate_ids(*model).size() == 6);
  }
}

TEST_CASE("broken checkpoints are refused with the file and the problem named", "[checkpoint][refdata]") {
  mmh::test::TempDir dir;
  write_checkpoint(dir.path());
  const fs::path weights = dir / "model.safetensors";
  const fs::path saved = dir / "saved.safetensors";
  fs::copy_file(weights, saved);

  SECTION("not a folder") { REQUIRE_THROWS_WITH(load_model(dir / "nope", {}), Contains("not a checkpoint folder")); }
  SECTION("unsupported family") {
    mmh::test::write_file(dir / "config.json", R"({"model_type": "qwen2_vl"})");
    REQUIRE_THROWS_WITH(load_model(dir.path(), {}), Contains("\"qwen2_vl\" is not supported") && Contains("llava"));
  }
  SECTION("no weights") {
    fs::remove(weights);
    REQUIRE_THROWS_WITH(load_model(dir.path(), {}), Contains("no model.safetensors"));
  }
  SECTION("truncated weights") {
    fs::resize_file(weights, fs::file_size(weights) - 1000);
    REQUIRE_THROWS_WITH(load_model(dir.path(), {}), Contains("model.safetensors") && Contains("truncated"));
  }
  SECTION("a missing tensor") {
    rewrite_weights(saved, weights, [](const std::string& n) {
      return n == "language_model.model.layers.1.mlp.up_proj.weight" ? std::string() : n;
    });
    REQUIRE_THROWS_WITH(load_model(dir.path(), {}), Contains("missing language_model.model.layers.1.mlp.up_proj.weight"));
  }
  SECTION("weights of another size than config.json says") {
    auto config = nlohmann::json::parse(mmh::test::read_file(dir / "config.json"));
    config["text_config"]["intermediate_size"] = 100;
    mmh::test::write_file(dir / "config.json", config.dump());
    REQUIRE_THROWS_WITH(load_model(dir.path(), {}), Contains("has shape [172, 64], the config implies [100, 64]"));
  }
  SECTION("integer weights") {
    std::vector<std::int32_t> ints(2002 * 64);
    rewrite_weights(saved, weights, [](const std::string& n) {
      return n == "language_model.model.embed_tokens.weight" ? std::string() : n;
    });
    auto file = mmh::weights::SafetensorsFile::open(weights);
    std::vector<mmh::weights::TensorToWrite> all;
    for (const auto& t : file->tensors()) all.push_back({t.name, t.dtype, t.shape, t.data, t.nbytes});
    all.push_back({"language_model.model.embed_tokens.weight", DType::kI32, {2002, 64}, ints.data(), ints.size() * 4});
    mmh::weights::write_safetensors(dir / "rewritten.safetensors", all);
    file.reset();
    fs::rename(dir / "rewritten.safetensors", weights);
    REQUIRE_THROWS_WITH(load_model(dir.path(), {}), Contains("not a floating type"));
  }
  SECTION("no tokenizer") {
    fs::remove(dir / "tokenizer.model");
    REQUIRE_THROWS_AS(load_model(dir.path(), {}), mmh::Error);
  }
  SECTION("no preprocessor_config.json") {
    fs::remove(dir / "preprocessor_config.json");
    REQUIRE_THROWS_WITH(load_model(dir.path(), {}), Contains("preprocessor_config.json"));
  }
  SECTION("an image token the tokenizer does not have") {
    auto config = nlohmann::json::parse(mmh::test::read_file(dir / "config.json"));
    config["image_token_index"] = 5;
    mmh::test::write_file(dir / "config.json", config.dump());
    REQUIRE_THROWS_WITH(load_model(dir.path(), {}), Contains("does not match the tokenizer's <image> token (2000)"));
  }
  SECTION("an unknown dtype or device") {
    mmh::backend::LoadOptions o;
    o.dtype = "fp8";
    REQUIRE_THROWS_WITH(load_model(dir.path(), o), Contains("fp32, bf16"));
    o.dtype = "fp32";
    o.device = "tpu";
    REQUIRE_THROWS_WITH(load_model(dir.path(), o), Contains("cpu, cuda, cuda:N"));
  }
}

TEST_CASE("bad requests are refused with the prompt and the problem named", "[checkpoint][refdata]") {
  mmh::test::TempDir dir;
  write_checkpoint(dir.path());
  auto model = load_model(dir.path(), {});
  GenerateOptions o;
  o.max_new_tokens = 2;
  REQUIRE_THROWS_WITH(model->generate({{"USER: <image>\n<image>\nHi", {image("noise")}, {}}}, o),
                      Contains("prompt 1") && Contains("2 <image> token(s) but 1 image(s)"));
  mmh::test::write_file(dir / "corrupt.png", "\x89PNG\r\n\x1a\n garbage");
  REQUIRE_THROWS_WITH(model->generate({{"<image>x", {dir / "corrupt.png"}, {}}}, o), Contains("corrupt.png"));
  REQUIRE_THROWS_WITH(model->generate({{"<image>x", {dir / "absent.png"}, {}}}, o), Contains("absent.png"));
  GenerationRequest ids;
  ids.input_ids = std::vector<std::int32_t>{1, 99999};
  REQUIRE_THROWS_WITH(model->generate({ids}, o), Contains("outside the vocabulary"));
  std::string long_text;
  for (int i = 0; i < 3000; ++i) long_text += " word";
  REQUIRE_THROWS_WITH(model->generate({{long_text, {}, {}}}, o), Contains("exceed the context length 2048"));
  // The model is still usable after refusing.
  CHECK(model->generate({{"USER: hello ASSISTANT:", {}, {}}}, o).front().generated_ids.size() == 2);
}
