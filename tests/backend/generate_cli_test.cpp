// `mmharness generate` as a user runs it: --json, --logits-out, and one clear
// line with exit code 2 for each bad input.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "model_backend/io/safetensors.h"
#include "support/refdata.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using Catch::Contains;
using mmh::test::run_mmharness;
using nlohmann::json;

namespace {

fs::path tiny() { return mmh::test::refdata("models/llava-tiny-a"); }

const json& prompt_named(const std::string& name) {
  static const json doc = json::parse(mmh::test::read_file(tiny() / "expected.json"));
  for (const auto& p : doc["prompts"])
    if (p["name"] == name) return p;
  throw std::runtime_error("no prompt " + name);
}

std::vector<std::string> args_for(const json& prompt) {
  std::vector<std::string> args = {"generate", "--model", tiny().string(), "--prompt", prompt["text"].get<std::string>(),
                                   "--max-new-tokens", "8"};
  for (const auto& image : prompt["images"]) {
    args.push_back("--image");
    args.push_back((tiny() / "images" / (image.get<std::string>() + ".png")).string());
  }
  return args;
}

}  // namespace

TEST_CASE("generate --json prints the ids and text transformers gives", "[generate][cli][refdata]") {
  const json& prompt = prompt_named("two_images");
  auto args = args_for(prompt);
  args.push_back("--json");
  const auto r = run_mmharness(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out);
  CHECK(out["input_ids"] == prompt["input_ids"]);
  CHECK(out["expanded_length"] == prompt["expanded_length"]);
  CHECK(out["generated_ids"] == prompt["generation"]["new_ids"]);
  CHECK(out["text"] == prompt["generation"]["new_text_skip_special"]);
  CHECK(out["stop_reason"] == "length");
}

TEST_CASE("generate prints the continuation, and --logits-out writes the prompt's logits", "[generate][cli][refdata]") {
  mmh::test::TempDir dir;
  const json& prompt = prompt_named("one_image");
  auto args = args_for(prompt);
  args.insert(args.end(), {"--logits-out", (dir / "logits.safetensors").string()});
  const auto r = run_mmharness(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == prompt["generation"]["new_text_skip_special"].get<std::string>() + "\n");
  CHECK_THAT(r.err, Contains("8 new tokens"));
  const auto file = mmh::weights::SafetensorsFile::open(dir / "logits.safetensors");
  const auto* logits = file->find("logits");
  REQUIRE(logits);
  const std::int64_t positions = prompt["expanded_length"], vocab = 2002;
  REQUIRE(logits->shape == std::vector<std::int64_t>{positions, vocab});
  REQUIRE(logits->dtype == mmh::weights::DType::kF32);
  const auto values = mmh::weights::to_float(*logits);
  const auto last = prompt["logits_last4_positions"][3].get<std::vector<float>>();
  float worst = 0;
  for (std::int64_t v = 0; v < vocab; ++v)
    worst = std::max(worst, std::fabs(values[(positions - 1) * vocab + v] - last[v]));
  CHECK(worst <= 1e-4f);
}

TEST_CASE("generate refuses bad input with one line and exit code 2", "[generate][cli][refdata]") {
  mmh::test::TempDir dir;
  auto check = [](const std::vector<std::string>& args, const std::string& says) {
    const auto r = run_mmharness(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(says));
    CHECK(r.out.empty());
    // One error line (usage errors add a pointer to --help).
    std::size_t errors = 0;
    for (std::size_t at = r.err.find("mmharness: error:"); at != std::string::npos; at = r.err.find("mmharness: error:", at + 1))
      ++errors;
    CHECK(errors == 1);
    CHECK(r.err.rfind("mmharness: error:", 0) == 0);
  };
  const std::string model = tiny().string(), red = (tiny() / "images" / "red_square.png").string();
  check({"generate", "--model", (dir / "none").string(), "--prompt", "hi"}, "not a checkpoint folder");
  check({"generate", "--model", model, "--prompt", "<image>hi", "--image", (dir / "x.png").string()},
        "x.png: image not found");
  check({"generate", "--model", model, "--prompt", "<image><image>hi", "--image", red},
        "2 <image> token(s) but 1 image(s)");
  check({"generate", "--model", model, "--prompt", "hi", "--max-new-tokens", "-1"}, "--max-new-tokens");
  check({"generate", "--model", model, "--prompt", "hi", "--dtype", "fp8"}, "fp32, bf16");
  check({"generate", "--model", model, "--prompt", "hi", "--device", "npu"}, "cpu, cuda, cuda:N");
  check({"generate", "--model", model, "--prompt", "hi", "--variant", "int4"}, "model.int4.safetensors");
  check({"generate", "--prompt", "hi"}, "--model is required");
}
