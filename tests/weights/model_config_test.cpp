// config.json resolution: transformers' defaults for omitted keys, family
// selection, and one clear error for each bad value.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model_backend/io/model_config.h"
#include "support/refdata.h"
#include "support/temp_dir.h"

using mmh::weights::read_model_config;
using nlohmann::json;

namespace {

mmh::weights::ModelConfig config_of(const mmh::test::TempDir& dir, const std::string& text) {
  mmh::test::write_file(dir / "config.json", text);
  return read_model_config(dir.path());
}

}  // namespace

TEST_CASE("llava-tiny-a's config.json resolves to transformers' full config", "[config][refdata]") {
  const auto dir = mmh::test::refdata("models/llava-tiny-a");
  const json full = json::parse(mmh::test::read_file(dir / "expected.json"))["full_config"];
  const auto c = read_model_config(dir);
  const auto& v = full["vision_config"];
  const auto& t = full["text_config"];
  CHECK(c.model_type == "llava");
  CHECK(c.image_token_index == full["image_token_index"].get<int>());
  CHECK(c.vision_feature_layer == full["vision_feature_layer"].get<int>());
  CHECK(c.vision_feature_select_strategy == full["vision_feature_select_strategy"].get<std::string>());
  CHECK(c.projector_hidden_act == full["projector_hidden_act"].get<std::string>());
  CHECK(c.vision.hidden_size == v["hidden_size"].get<int>());
  CHECK(c.vision.intermediate_size == v["intermediate_size"].get<int>());
  CHECK(c.vision.num_hidden_layers == v["num_hidden_layers"].get<int>());
  CHECK(c.vision.num_attention_heads == v["num_attention_heads"].get<int>());
  CHECK(c.vision.image_size == v["image_size"].get<int>());
  CHECK(c.vision.patch_size == v["patch_size"].get<int>());
  CHECK(c.vision.num_channels == v["num_channels"].get<int>());
  CHECK(c.vision.layer_norm_eps == v["layer_norm_eps"].get<double>());
  CHECK(c.vision.hidden_act == v["hidden_act"].get<std::string>());  // omitted in config.json: the default
  CHECK(c.text.vocab_size == t["vocab_size"].get<int>());
  CHECK(c.text.hidden_size == t["hidden_size"].get<int>());
  CHECK(c.text.intermediate_size == t["intermediate_size"].get<int>());
  CHECK(c.text.num_hidden_layers == t["num_hidden_layers"].get<int>());
  CHECK(c.text.num_attention_heads == t["num_attention_heads"].get<int>());
  CHECK(c.text.num_key_value_heads == t["num_key_value_heads"].get<int>());
  CHECK(c.text.max_position_embeddings == t["max_position_embeddings"].get<int>());
  CHECK(c.text.rms_norm_eps == t["rms_norm_eps"].get<double>());
  CHECK(c.text.rope_theta == t["rope_theta"].get<double>());  // omitted: the default
  CHECK(c.text.hidden_act == t["hidden_act"].get<std::string>());
  CHECK(c.text.tie_word_embeddings == t["tie_word_embeddings"].get<bool>());
  CHECK(c.text.attention_bias == t["attention_bias"].get<bool>());
  CHECK(c.text.mlp_bias == t["mlp_bias"].get<bool>());
  CHECK(c.image_features_per_image() == json::parse(mmh::test::read_file(dir / "expected.json"))["num_image_features_per_image"].get<int>());
}

TEST_CASE("omitted sub-configs get LlavaConfig's defaults (CLIP ViT-L/14-336, Llama-7B)", "[config]") {
  mmh::test::TempDir dir;
  // (text vocab_size given: the image token 32000 must lie inside it, as in llava-1.5-7b-hf's 32064)
  const auto c = config_of(dir, R"({"model_type": "llava", "text_config": {"vocab_size": 32064}})");
  CHECK(c.vision.hidden_size == 1024);
  CHECK(c.vision.num_hidden_layers == 24);
  CHECK(c.vision.patch_size == 14);
  CHECK(c.vision.image_size == 336);
  CHECK(c.image_features_per_image() == 576);
  CHECK(c.text.hidden_size == 4096);
  CHECK(c.text.num_key_value_heads == 32);  // = num_attention_heads when omitted
  CHECK(c.text.head_dim == 128);
  CHECK(c.text.rms_norm_eps == 1e-6);
  CHECK(c.image_token_index == 32000);
  // A present vision_config starts from CLIPVisionConfig's own defaults, as transformers does.
  const auto d = config_of(dir, R"({"model_type": "llava", "vision_config": {"hidden_size": 64, "num_attention_heads": 4},
                                    "text_config": {"vocab_size": 32064}})");
  CHECK(d.vision.patch_size == 32);
  CHECK(d.vision.image_size == 224);
  CHECK(d.vision.num_hidden_layers == 12);
}

TEST_CASE("config.json problems are refused with the file and key named", "[config]") {
  mmh::test::TempDir dir;
  using Catch::Contains;
  REQUIRE_THROWS_WITH(read_model_config(dir.path()), Contains("config.json"));
  REQUIRE_THROWS_WITH(config_of(dir, R"({"model_type": "paligemma"})"),
                      Contains("\"paligemma\" is not supported") && Contains("supported: llava"));
  REQUIRE_THROWS_WITH(config_of(dir, R"({"architectures": []})"), Contains("no \"model_type\""));
  REQUIRE_THROWS_WITH(config_of(dir, "{\"model_type\": \"llava\",\n \"text_config\": {"), Contains("config.json:2:"));
  REQUIRE_THROWS_WITH(config_of(dir, R"({"model_type": "llava", "text_config": {"hidden_size": "64"}})"),
                      Contains("text_config") && Contains("\"hidden_size\" must be an integer"));
  REQUIRE_THROWS_WITH(config_of(dir, R"({"model_type": "llava", "text_config": {"num_hidden_layers": 0}})"),
                      Contains("must be positive"));
  REQUIRE_THROWS_WITH(
      config_of(dir, R"({"model_type": "llava", "text_config": {"num_attention_heads": 32, "num_key_value_heads": 5}})"),
      Contains("num_key_value_heads"));
  REQUIRE_THROWS_WITH(
      config_of(dir, R"({"model_type": "llava", "text_config": {"rope_scaling": {"rope_type": "llama3", "factor": 8}}})"),
      Contains("rope type \"llama3\" is not supported"));
  REQUIRE_THROWS_WITH(config_of(dir, R"({"model_type": "llava", "text_config": {"model_type": "mistral"}})"),
                      Contains("\"mistral\" is not supported"));
  REQUIRE_THROWS_WITH(config_of(dir, R"({"model_type": "llava", "vision_config": {"model_type": "siglip_vision_model"}})"),
                      Contains("siglip_vision_model"));
  REQUIRE_THROWS_WITH(config_of(dir, R"({"model_type": "llava", "vision_feature_layer": -40})"),
                      Contains("vision_feature_layer -40 is out of range"));
  REQUIRE_THROWS_WITH(config_of(dir, R"({"model_type": "llava", "vision_feature_select_strategy": "cls"})"),
                      Contains("\"cls\" is not supported"));
  REQUIRE_THROWS_WITH(config_of(dir, R"({"model_type": "llava", "image_token_index": 99999})"),
                      Contains("outside the vocabulary"));
  REQUIRE_THROWS_WITH(config_of(dir, "[1, 2]"), Contains("not a JSON object"));
}
