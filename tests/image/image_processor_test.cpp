// Processor parity with transformers 4.44 + Pillow 9.4 on the reference
// images (every expected value is read from ../shared/refdata), and the
// preprocessor_config.json rules: defaults, refusals, the fingerprint.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/json_file.h"
#include "model_backend/image/processor.h"
#include "model_backend/io/safetensors.h"
#include "support/refdata.h"
#include "support/temp_dir.h"

using mmh::image::Image;
using mmh::image::ImageProcessor;
using mmh::test::TempDir;
using mmh::test::write_file;
using nlohmann::json;

namespace {

const std::vector<std::string> kImages = {"gradient", "red_square", "blue_circle", "noise", "small_stripes"};

struct Model {
  std::filesystem::path dir;
  json expected;
  std::unique_ptr<mmh::weights::SafetensorsFile> tensors;
};

Model open_model(const std::string& name) {
  Model m;
  m.dir = mmh::test::refdata("models/" + name);
  m.expected = mmh::read_json_file(m.dir / "expected.json");
  m.tensors = mmh::weights::SafetensorsFile::open(m.dir / "reference_tensors.safetensors");
  return m;
}

Image decode(const Model& m, const std::string& image) {
  const json& info = m.expected.at("images").at(image);
  const Image decoded = mmh::image::decode_image_file(m.dir / info.at("file").get<std::string>());
  REQUIRE(decoded.width == info.at("width").get<int>());
  REQUIRE(decoded.height == info.at("height").get<int>());
  REQUIRE(info.at("mode") == "RGB");
  return decoded;
}

// A U8 HWC reference tensor must equal the image bit for bit.
void check_uint8(const Model& m, const std::string& key, const Image& image) {
  INFO(key);
  const auto* t = m.tensors->find(key);
  REQUIRE(t != nullptr);
  REQUIRE(t->dtype == mmh::weights::DType::kU8);
  REQUIRE(t->shape == std::vector<std::int64_t>{image.height, image.width, 3});
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(t->data);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < image.rgb.size(); ++i) mismatches += bytes[i] != image.rgb[i];
  CHECK(mismatches == 0);
}

// pixel_values (C, H, W) within 1e-6.
void check_pixels(const Model& m, const std::string& key, const mmh::image::PixelValues& pv) {
  INFO(key);
  const auto* t = m.tensors->find(key);
  REQUIRE(t != nullptr);
  REQUIRE(t->shape == std::vector<std::int64_t>{pv.channels, pv.height, pv.width});
  const std::vector<float> want = mmh::weights::to_float(*t);
  REQUIRE(want.size() == pv.chw.size());
  double worst = 0;
  for (std::size_t i = 0; i < want.size(); ++i) worst = std::max(worst, double(std::fabs(want[i] - pv.chw[i])));
  CHECK(worst <= 1e-6);
}

}  // namespace

TEST_CASE("image: CLIPImageProcessor (llava-tiny-a): resize, crop and pixel_values equal transformers",
          "[image][processor][parity]") {
  const Model m = open_model("llava-tiny-a");
  const ImageProcessor p = ImageProcessor::load(m.dir / "preprocessor_config.json");
  CHECK(p.type() == "CLIPImageProcessor");
  CHECK(p.output_height() == 36);
  CHECK(p.output_width() == 36);
  for (const std::string& name : kImages) {
    INFO("image " << name);
    const Image image = decode(m, name);
    const Image resized = p.resize_step(image);
    const auto hw = m.expected.at("per_image").at(name).at("resize_to_hw");
    CHECK(resized.height == hw[0].get<int>());
    CHECK(resized.width == hw[1].get<int>());
    check_uint8(m, "image." + name + ".resized_uint8_hwc", resized);
    check_uint8(m, "image." + name + ".cropped_uint8_hwc", p.crop_step(image));
    const auto pv = p.preprocess(image);
    const auto shape = m.expected.at("per_image").at(name).at("pixel_values").at("shape");
    CHECK(json::array({1, pv.channels, pv.height, pv.width}) == shape);
    check_pixels(m, "image." + name + ".pixel_values", pv);
  }
}

TEST_CASE("image: SiglipImageProcessor (paligemma-tiny): exact resize and pixel_values equal transformers",
          "[image][processor][parity]") {
  const Model m = open_model("paligemma-tiny");
  const ImageProcessor p = ImageProcessor::load(m.dir / "preprocessor_config.json");
  CHECK(p.type() == "SiglipImageProcessor");
  CHECK(p.output_height() == 32);
  CHECK(p.output_width() == 32);
  for (const std::string& name : kImages) {
    INFO("image " << name);
    const Image image = decode(m, name);
    check_uint8(m, "image." + name + ".resized_uint8_hwc", p.resize_step(image));
    check_pixels(m, "image." + name + ".pixel_values", p.preprocess(image));
  }
}

// Idefics2ImageProcessor is not implemented; its bilinear resize is the same
// Pillow port, checked through pixel_values with the size rule of its
// get_resize_output_image_size and a plain rescale + normalise here.
TEST_CASE("image: Idefics2 (idefics2-tiny): the bilinear longest-edge resize equals Pillow", "[image][resample][parity]") {
  const Model m = open_model("idefics2-tiny");
  const json config = mmh::read_json_file(m.dir / "preprocessor_config.json");
  const int longest = config.at("size").at("longest_edge"), shortest = config.at("size").at("shortest_edge");
  REQUIRE(config.at("resample") == 2);
  for (const std::string& name : kImages) {
    INFO("image " << name);
    const Image image = decode(m, name);
    int height = image.height, width = image.width;
    const double aspect = double(width) / height;
    if (width >= height && width > longest) {
      width = longest;
      height = int(width / aspect);
    } else if (height > width && height > longest) {
      height = longest;
      width = int(height * aspect);
    }
    height = std::max(height, shortest);
    width = std::max(width, shortest);
    const Image resized = mmh::image::resize(image, width, height, mmh::image::Resample::kBilinear);
    mmh::image::PixelValues pv{3, height, width, std::vector<float>(std::size_t(3) * width * height)};
    const double factor = config.at("rescale_factor");
    for (int c = 0; c < 3; ++c) {
      const float mean = float(config.at("image_mean")[c].get<double>()), sd = float(config.at("image_std")[c].get<double>());
      for (int i = 0; i < width * height; ++i)
        pv.chw[std::size_t(c) * width * height + i] = (float(resized.rgb[i * 3 + c] * factor) - mean) / sd;
    }
    check_pixels(m, "image." + name + ".pixel_values", pv);
  }
}

namespace {

std::filesystem::path config_file(const TempDir& dir, const std::string& text) {
  static int counter = 0;
  const auto path = dir / ("preprocessor_config_" + std::to_string(counter++) + ".json");
  write_file(path, text);
  return path;
}

std::string load_error(const std::filesystem::path& path) {
  try {
    ImageProcessor::load(path);
  } catch (const mmh::Error& e) {
    return e.what();
  }
  FAIL("loaded " << path << " without an error");
  return "";
}

}  // namespace

TEST_CASE("image: processor: missing keys take the transformers defaults of the class", "[image][processor]") {
  TempDir dir;
  const auto clip = ImageProcessor::load(config_file(dir, R"({"image_processor_type": "CLIPImageProcessor"})"));
  CHECK(clip.output_height() == 224);
  CHECK(clip.output_width() == 224);
  CHECK(clip.fingerprint() ==
        "mmh_image.v1;CLIPImageProcessor;resize=shortest_edge:224;resample=BICUBIC;crop=224x224;"
        "rescale=0.0039215686274509803;mean=0.48145467,0.457827508,0.408210725;std=0.268629551,0.26130259,0.275777102");
  const auto legacy = ImageProcessor::load(config_file(dir, R"({"feature_extractor_type": "CLIPFeatureExtractor"})"));
  CHECK(legacy.fingerprint() == clip.fingerprint());
  const auto siglip = ImageProcessor::load(config_file(dir, R"({"image_processor_type": "SiglipImageProcessor"})"));
  CHECK(siglip.fingerprint() ==
        "mmh_image.v1;SiglipImageProcessor;resize=224x224;resample=BICUBIC;crop=off;rescale=0.0039215686274509803;"
        "mean=0.5,0.5,0.5;std=0.5,0.5,0.5");
  // Legacy integer sizes: CLIP reads size as the shortest edge, crop_size as a square.
  const auto ints = ImageProcessor::load(
      config_file(dir, R"({"image_processor_type": "CLIPImageProcessor", "size": 336, "crop_size": 336})"));
  CHECK(ints.output_height() == 336);
  CHECK(ints.fingerprint().find("resize=shortest_edge:336") != std::string::npos);
  // Without a crop, a shortest-edge resize has no fixed output size.
  const auto no_crop = ImageProcessor::load(
      config_file(dir, R"({"image_processor_type": "CLIPImageProcessor", "do_center_crop": false})"));
  CHECK(no_crop.output_height() == 0);
  Image wide{40, 20, std::vector<std::uint8_t>(40 * 20 * 3, 9)};
  const auto pv = no_crop.preprocess(wide);
  CHECK(pv.height == 224);
  CHECK(pv.width == 448);
}

TEST_CASE("image: processor: the fingerprint follows the settings that change the output", "[image][processor]") {
  TempDir dir;
  const std::string base = R"("image_processor_type": "SiglipImageProcessor", "size": {"height": 32, "width": 32})";
  const auto a = ImageProcessor::load(config_file(dir, "{" + base + "}"));
  const auto same = ImageProcessor::load(config_file(dir, "{" + base + R"(, "processor_class": "X", "image_seq_length": 16})"));
  CHECK(a.fingerprint() == same.fingerprint());
  for (const char* change : {R"("resample": 2)", R"("do_normalize": false)", R"("rescale_factor": 0.5)",
                                    R"("image_mean": [0.5, 0.5, 0.25])", R"("size": {"height": 32, "width": 33})"}) {
    INFO(change);
    const auto b = ImageProcessor::load(config_file(dir, "{" + base + ", " + std::string(change) + "}"));
    CHECK(a.fingerprint() != b.fingerprint());
  }
}

TEST_CASE("image: processor: bad preprocessor_config.json is refused with the file and the reason", "[image][processor][errors]") {
  TempDir dir;
  const auto lanczos = config_file(dir, R"({"image_processor_type": "CLIPImageProcessor", "resample": 1})");
  const std::string e1 = load_error(lanczos);
  CHECK(e1.find(lanczos.string()) != std::string::npos);
  CHECK(e1.find("resample 1 (LANCZOS) is not supported") != std::string::npos);
  CHECK(e1.find("3 (BICUBIC)") != std::string::npos);
  CHECK(load_error(config_file(dir, R"({"image_processor_type": "CLIPImageProcessor", "resample": 7})"))
            .find("resample 7 is not supported") != std::string::npos);

  const auto malformed = config_file(dir, "{\n  \"image_processor_type\": \"CLIPImageProcessor\",\n  \"size\": {\n}");
  const std::string e2 = load_error(malformed);
  CHECK(e2.find(malformed.string() + ":4:") != std::string::npos);
  CHECK(e2.find("malformed JSON") != std::string::npos);

  const std::string e3 = load_error(config_file(dir, R"({"image_processor_type": "Idefics2ImageProcessor"})"));
  CHECK(e3.find("\"Idefics2ImageProcessor\" is not supported") != std::string::npos);
  CHECK(e3.find("CLIPImageProcessor") != std::string::npos);
  CHECK(e3.find("SiglipImageProcessor") != std::string::npos);
  CHECK(load_error(config_file(dir, R"({"do_resize": true})")).find("has no image_processor_type") != std::string::npos);
  CHECK(load_error(config_file(dir, R"([1, 2])")).find("JSON object") != std::string::npos);
  CHECK(load_error(config_file(dir, R"({"image_processor_type": "SiglipImageProcessor", "size": {"shortest_edge": 5}})"))
            .find("\"size\" must be") != std::string::npos);
  CHECK(load_error(config_file(dir, R"({"image_processor_type": "CLIPImageProcessor", "size": {"longest_edge": 5}})"))
            .find("\"size\" must be") != std::string::npos);
  CHECK(load_error(config_file(dir, R"({"image_processor_type": "CLIPImageProcessor", "crop_size": {"height": 0, "width": 3}})"))
            .find("crop_size.height") != std::string::npos);
  CHECK(load_error(config_file(dir, R"({"image_processor_type": "CLIPImageProcessor", "image_std": [1, 2]})"))
            .find("\"image_std\" must be") != std::string::npos);
  CHECK(load_error(config_file(dir, R"({"image_processor_type": "CLIPImageProcessor", "do_rescale": "yes"})"))
            .find("\"do_rescale\" must be true or false") != std::string::npos);
  CHECK(load_error(dir / "absent.json").find("no such file") != std::string::npos);
}
