// LLaVA-1.5 (transformers' LlavaForConditionalGeneration): a CLIP vision
// tower, a two-layer GELU projector, and a Llama decoder. Each <image> token
// in the prompt is replaced by that image's projected patch features (the
// layout transformers 4.44 builds in _merge_input_ids_with_image_features,
// which newer releases build in the processor instead: the numbers are equal).
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/error.h"
#include "common/json_file.h"
#include "model_backend/engine/feature_cache.h"
#include "model_backend/engine/greedy.h"
#include "model_backend/families/family.h"
#include "model_backend/image/image.h"
#include "model_backend/image/processor.h"
#include "model_backend/io/model_config.h"
#include "model_backend/io/safetensors.h"
#include "model_backend/nn/clip_vision.h"
#include "model_backend/nn/llama_decoder.h"
#include "model_backend/tokenizer/tokenizer.h"

namespace mmh::backend {

namespace fs = std::filesystem;

namespace {

// Parameter-name prefixes of each module: transformers <= 4.51 first, the
// 4.52+ layout (model.language_model..., lm_head at the top) second.
const std::vector<std::string> kVisionPrefixes = {"vision_tower.vision_model.", "model.vision_tower.vision_model."};
const std::vector<std::string> kProjectorPrefixes = {"multi_modal_projector.", "model.multi_modal_projector."};
const std::vector<std::string> kDecoderPrefixes = {"language_model.model.", "model.language_model."};
const std::vector<std::string> kHeadPrefixes = {"language_model.lm_head.", "lm_head."};

struct Projector {
  nn::Linear linear_1, linear_2;
  at::Tensor operator()(const at::Tensor& x) const { return linear_2(at::gelu(linear_1(x))); }
};

std::vector<std::int32_t> eos_ids_from(const fs::path& dir, const tokenizer::Tokenizer& tok) {
  std::vector<std::int32_t> ids;
  const fs::path gen = dir / "generation_config.json";
  if (fs::exists(gen)) {
    const nlohmann::json doc = read_json_file(gen);
    if (doc.is_object() && doc.contains("eos_token_id")) {
      const auto& e = doc["eos_token_id"];
      if (e.is_number_integer()) ids.push_back(e.get<std::int32_t>());
      else if (e.is_array())
        for (const auto& v : e)
          if (v.is_number_integer()) ids.push_back(v.get<std::int32_t>());
    }
  }
  if (ids.empty() && tok.eos_id) ids.push_back(*tok.eos_id);
  return ids;
}

class Llava final : public Model {
 public:
  Llava(const fs::path& dir, const LoadOptions& options, const nn::Placement& placement)
      : config_(weights::read_model_config(dir)),
        placement_(placement),
        weights_(weights::WeightSet::open_dir(dir, options.weights_variant)),
        tokenizer_(tokenizer::Tokenizer::load(dir)),
        processor_(image::ImageProcessor::load(dir / "preprocessor_config.json")),
        features_(std::int64_t(2) << 30) {
    nn::WeightLoader loader(weights_, placement);
    // hidden_states[0] is the embeddings: feature layer -2 of 24 reads hidden_states[23], after 23 layers.
    const int layers = config_.vision.num_hidden_layers;
    const int feature_layer = config_.vision_feature_layer;
    layers_to_run_ = feature_layer >= 0 ? feature_layer : layers + 1 + feature_layer;
    vision_.emplace(loader, kVisionPrefixes, config_.vision, layers_to_run_);
    const std::int64_t vd = config_.vision.hidden_size, td = config_.text.hidden_size;
    projector_.linear_1 = nn::Linear::load(loader, kProjectorPrefixes, "linear_1", vd, td, true);
    projector_.linear_2 = nn::Linear::load(loader, kProjectorPrefixes, "linear_2", td, td, true);
    decoder_.emplace(loader, kDecoderPrefixes, kHeadPrefixes, config_.text);
    loader.check_complete((dir / weights_.description()).string());

    const auto image_token = tokenizer_->token_id("<image>");
    if (!image_token || *image_token != config_.image_token_index)
      throw Error((dir / "config.json").string(),
                  "image_token_index " + std::to_string(config_.image_token_index) +
                      " does not match the tokenizer's <image> token (" +
                      (image_token ? std::to_string(*image_token) : std::string("absent")) + ")");
    if (processor_.output_height() != config_.vision.image_size ||
        processor_.output_width() != config_.vision.image_size)
      throw Error((dir / "preprocessor_config.json").string(),
                  "produces " + std::to_string(processor_.output_width()) + "x" +
                      std::to_string(processor_.output_height()) + " images; the vision tower takes " +
                      std::to_string(config_.vision.image_size));
    eos_ids_ = eos_ids_from(dir, *tokenizer_);

    info_.family = "llava";
    info_.path = dir;
    info_.dtype = placement.dtype == at::kBFloat16 ? "bf16" : "fp32";
    info_.device = placement.device.str();
    info_.weights = weights_.description();
    info_.context_length = config_.text.max_position_embeddings;
    info_.image_features_per_image = config_.image_features_per_image();
    info_.parameters = loader.parameters();
    info_.unused_tensors = weights_.unused();
    cache_prefix_ = dir.string() + "|" + info_.dtype + "|" + processor_.fingerprint() + "|";
  }

  const ModelInfo& info() const override { return info_; }
  const tokenizer::Tokenizer& tokenizer() const override { return *tokenizer_; }

  // LLaVA-1.5's conversation format: "USER: <image>\n... ASSISTANT: answer</s>";
  // plain (pre-training style) prompts place "<image>" inline and end chunks with "\n".
  GenerationRequest render(const prompts::Prompt& prompt) const override {
    using prompts::Role;
    using Kind = prompts::Segment::Kind;
    GenerationRequest request;
    Role current = Role::kNone;
    for (const auto& s : prompt) {
      if (s.role != current && s.role != Role::kNone) {
        if (s.role == Role::kUser) request.text += "USER: ";
        else request.text += request.text.empty() || request.text.back() == ' ' ? "ASSISTANT:" : " ASSISTANT:";
        current = s.role;
      }
      switch (s.kind) {
        case Kind::kText: request.text += s.text; break;
        case Kind::kImage:
          request.text += s.role == Role::kUser ? "<image>\n" : "<image>";
          request.images.push_back(s.image.path);
          break;
        case Kind::kEndOfChunk: request.text += s.role == Role::kNone ? "\n" : "</s>"; break;
      }
    }
    if (current == Role::kUser) request.text += " ASSISTANT:";
    return request;
  }

  int expanded_length(const GenerationRequest& request) const override { return expanded(input_ids(request)); }

  std::vector<Generation> generate(const std::vector<GenerationRequest>& requests,
                                   const GenerateOptions& options) override {
    c10::InferenceMode no_autograd;
    // Every request is checked before any runs; embeddings are built batch by batch.
    std::vector<Generation> out(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      out[i].input_ids = input_ids(requests[i]);
      check_prompt(out[i].input_ids, requests[i].images, i);
      out[i].expanded_length = expanded(out[i].input_ids);
      if (out[i].expanded_length + options.max_new_tokens > config_.text.max_position_embeddings)
        throw Error("prompt " + std::to_string(i + 1) + ": " + std::to_string(out[i].expanded_length) +
                    " positions + " + std::to_string(options.max_new_tokens) +
                    " new tokens exceed the context length " +
                    std::to_string(config_.text.max_position_embeddings));
    }
    engine::DecodeSettings settings;
    settings.max_new_tokens = options.max_new_tokens;
    if (options.stop_at_eos) settings.eos_ids = eos_ids_;
    settings.stop_strings = options.stop_strings;
    settings.prompt_logits = options.prompt_logits;
    settings.step_logits = options.step_logits;
    settings.share_prefix = options.share_prefix;
    auto decode = [&](const std::vector<std::int32_t>& ids) { return tokenizer_->decode(ids, true); };

    // Batches of similar length waste less on padding; results go back in request order.
    std::vector<std::size_t> order(requests.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return out[a].expanded_length > out[b].expanded_length; });
    const std::size_t batch_size = static_cast<std::size_t>(std::max(1, options.batch_size));
    try {
      for (std::size_t at = 0; at < order.size(); at += batch_size) {
        std::vector<at::Tensor> batch;
        for (std::size_t j = at; j < std::min(order.size(), at + batch_size); ++j)
          batch.push_back(prompt_embeddings(out[order[j]].input_ids, requests[order[j]].images));
        auto results = engine::greedy_decode(*decoder_, batch, settings, decode);
        for (std::size_t j = 0; j < results.size(); ++j) finish(out[order[at + j]], results[j], options);
      }
    } catch (const c10::OutOfMemoryError& e) {
      // The harness retries at a smaller batch; it needs to tell this apart from bad input.
      throw OutOfMemoryError(info_.device + " out of memory at batch size " + std::to_string(batch_size) + ": " +
                             e.what_without_backtrace());
    }
    return out;
  }

  ImageFeatures image_features(const fs::path& path) override {
    c10::InferenceMode no_autograd;
    const auto [selected, projected] = encode_image(path, /*use_cache=*/false);
    ImageFeatures f;
    auto copy = [](const at::Tensor& t, std::vector<std::int64_t>& shape, std::vector<float>& values) {
      const at::Tensor c = t.to(at::kCPU, at::kFloat).contiguous();
      shape = c.sizes().vec();
      values.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    };
    copy(selected, f.selected_shape, f.selected);
    copy(projected, f.projected_shape, f.projected);
    return f;
  }

  CacheStats cache_stats() const override { return {features_.hits(), features_.misses()}; }

 private:
  std::vector<std::int32_t> input_ids(const GenerationRequest& request) const {
    return request.input_ids ? *request.input_ids : tokenizer_->encode(request.text, /*add_special=*/true);
  }

  // Vision tower -> layer and strategy selection -> projector, for one image: [features, text hidden].
  std::pair<at::Tensor, at::Tensor> encode_image(const fs::path& path, bool use_cache) {
    const std::string bytes = read_text_file(path, image::kMaxImageFileBytes);
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    const std::string key = cache_prefix_ + std::to_string(engine::content_hash(data, bytes.size()));
    if (use_cache)
      if (at::Tensor hit = features_.find(key); hit.defined()) return {at::Tensor(), hit};
    const image::Image decoded = image::decode_image_memory(data, bytes.size(), path.string());
    image::PixelValues pixels = processor_.preprocess(decoded);
    const at::Tensor pixel_values =
        at::from_blob(pixels.chw.data(), {1, pixels.channels, pixels.height, pixels.width}, at::kFloat)
            .to(placement_.device);
    at::Tensor selected = vision_->forward(pixel_values)[0];  // [1 + patches, vision hidden]
    if (config_.vision_feature_select_strategy == "default") selected = selected.narrow(0, 1, selected.size(0) - 1);
    at::Tensor projected = projector_(selected);
    if (use_cache) features_.insert(key, projected);
    return {selected, projected};
  }

  // Positions the decoder sees: each image token becomes that image's features.
  int expanded(const std::vector<std::int32_t>& ids) const {
    const auto images = std::count(ids.begin(), ids.end(), config_.image_token_index);
    return static_cast<int>(ids.size() + images * (config_.image_features_per_image() - 1));
  }

  void check_prompt(const std::vector<std::int32_t>& ids, const std::vector<fs::path>& images,
                    std::size_t request) const {
    const std::string where = "prompt " + std::to_string(request + 1);
    if (ids.empty()) throw Error(where, "is empty");
    std::size_t image_tokens = 0;
    for (auto id : ids) {
      if (id < 0 || id >= config_.text.vocab_size)
        throw Error(where, "token id " + std::to_string(id) + " is outside the vocabulary");
      image_tokens += id == config_.image_token_index;
    }
    if (image_tokens != images.size())
      throw Error(where, "has " + std::to_string(image_tokens) + " <image> token(s) but " +
                             std::to_string(images.size()) + " image(s) were given");
  }

  // Text embeddings with each image token replaced by that image's features (a checked prompt).
  at::Tensor prompt_embeddings(const std::vector<std::int32_t>& ids, const std::vector<fs::path>& images) {
    std::vector<std::int64_t> wide(ids.begin(), ids.end());
    const at::Tensor id_tensor = at::from_blob(wide.data(), {std::int64_t(wide.size())}, at::kLong).to(placement_.device);
    const at::Tensor text = decoder_->embed(id_tensor);
    if (images.empty()) return text;
    std::vector<at::Tensor> pieces;
    std::int64_t start = 0;
    std::size_t next_image = 0;
    for (std::int64_t i = 0; i < std::int64_t(wide.size()); ++i) {
      if (wide[i] != config_.image_token_index) continue;
      if (i > start) pieces.push_back(text.narrow(0, start, i - start));
      pieces.push_back(encode_image(images[next_image++], /*use_cache=*/true).second);
      start = i + 1;
    }
    if (start < std::int64_t(wide.size())) pieces.push_back(text.narrow(0, start, wide.size() - start));
    return at::cat(pieces, 0);
  }

  void finish(Generation& g, const engine::DecodeResult& r, const GenerateOptions& options) const {
    g.generated_ids = r.ids;
    g.stop_reason = r.stop_reason;
    g.vocab_size = config_.text.vocab_size;
    g.prefill_seconds = r.prefill_seconds;
    g.decode_seconds = r.decode_seconds;
    g.shared_prefix = static_cast<int>(r.shared_prefix);
    g.text = tokenizer_->decode(r.ids, /*skip_special=*/true);
    if (r.stop_reason == "stop_string") {
      std::size_t cut = g.text.size();
      for (const auto& stop : options.stop_strings)
        if (!stop.empty()) cut = std::min(cut, g.text.find(stop));
      g.text.resize(std::min(cut, g.text.size()));
    }
    auto flat = [](const at::Tensor& t, std::vector<float>& out) {
      if (!t.defined()) return;
      const at::Tensor c = t.to(at::kFloat).contiguous();
      out.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    };
    flat(r.prompt_logits, g.prompt_logits);
    flat(r.step_logits, g.step_logits);
  }

  weights::ModelConfig config_;
  nn::Placement placement_;
  weights::WeightSet weights_;
  std::unique_ptr<tokenizer::Tokenizer> tokenizer_;
  image::ImageProcessor processor_;
  engine::FeatureCache features_;
  int layers_to_run_ = 0;
  std::optional<nn::ClipVision> vision_;
  Projector projector_;
  std::optional<nn::LlamaDecoder> decoder_;
  std::vector<std::int32_t> eos_ids_;
  ModelInfo info_;
  std::string cache_prefix_;
};

}  // namespace

std::unique_ptr<Model> load_llava(const fs::path& dir, const LoadOptions& options, const nn::Placement& placement) {
  return std::make_unique<Llava>(dir, options, placement);
}

}  // namespace mmh::backend
