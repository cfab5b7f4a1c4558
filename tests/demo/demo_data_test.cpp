// demo-setup's output: the nine tasks load from the generated data root with
// the asked-for sizes, images decode and show what the texts say, prompts
// build, the tokenizer round-trips, the checkpoint matches it, the same seed
// gives the same bytes, and bad arguments are refused.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "common/error.h"
#include "common/json_file.h"
#include "harness/demo/demo_captions.h"
#include "harness/demo/demo_images.h"
#include "harness/demo/demo_questions.h"
#include "harness/demo/demo_setup.h"
#include "model_backend/image/image.h"
#include "model_backend/io/model_config.h"
#include "model_backend/tokenizer/tokenizer.h"
#include "prompts/builder.h"
#include "support/temp_dir.h"
#include "tasks/task_data.h"

namespace fs = std::filesystem;
using mmh::demo::DemoSetupOptions;
using mmh::test::TempDir;

namespace {

constexpr std::int64_t kSamples = 6, kPool = 9;

// One small demo per test executable: writing it takes a fraction of a second.
const fs::path& demo_dir() {
  static TempDir dir;
  static const fs::path path = [] {
    mmh::demo::demo_setup({dir / "demo", kSamples, kPool, 7});
    return dir / "demo";
  }();
  return path;
}

mmh::tasks::TaskData load(const std::string& task) {
  return mmh::tasks::load_task(*mmh::tasks::find_task(task), mmh::tasks::DataRoot(demo_dir() / "data"));
}

std::map<std::string, std::string> all_files(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).string()] = mmh::test::read_file(entry.path());
  return files;
}

// Every text a prompt can carry: questions, options, references.
std::vector<std::string> sample_texts(const mmh::tasks::TaskData& data) {
  std::vector<std::string> out;
  for (const auto* split : {&data.eval, &data.demos})
    for (const auto& s : split->samples) {
      if (!s.question.empty()) out.push_back(s.question);
      out.insert(out.end(), s.options.begin(), s.options.end());
      out.insert(out.end(), s.references.begin(), s.references.end());
    }
  return out;
}

std::string color_name_of(const std::uint8_t* p) {
  for (const auto& palette : {mmh::demo::shape_colors(), mmh::demo::background_colors()})
    for (const auto& c : palette)
      if (p[0] == c.r && p[1] == c.g && p[2] == c.b) return c.name;
  return "?";
}

}  // namespace

TEST_CASE("demo: every task loads with the asked-for samples, and every image decodes", "[demo]") {
  for (const auto& task : mmh::tasks::task_catalog()) {
    INFO("task " << task.id);
    const auto data = load(task.id);
    CHECK(data.eval.samples.size() == std::size_t(kSamples));
    CHECK(data.demos.samples.size() == std::size_t(kPool));
    for (const auto* split : {&data.eval, &data.demos}) {
      CHECK(mmh::tasks::count_images(*split).missing == 0);
      for (const auto& s : split->samples) {
        INFO("sample " << s.key);
        CHECK_FALSE(s.demo_answer.empty());
        REQUIRE_FALSE(s.images.empty());
        for (const auto& image : s.images) {
          const auto decoded = mmh::image::decode_image_file(image.path);
          CHECK(decoded.width >= 64);
          CHECK(decoded.width <= 96);
          CHECK(decoded.height >= 64);
          CHECK(decoded.height <= 96);
        }
        if (task.id == "mmmu" && !s.options.empty()) {
          REQUIRE(s.references.size() == 1);
          const std::size_t letter = s.references.front()[0] - 'A';
          CHECK(letter < s.options.size());
        }
        if (task.kind == "vqa" && task.id != "gqa") CHECK(s.references.size() == 10);
      }
    }
  }
}

TEST_CASE("demo: the files carry the official fields the metrics break down by", "[demo]") {
  const auto vqav2 = load("vqav2");
  std::set<std::string> answer_types;
  for (const auto& s : vqav2.demos.samples) {
    answer_types.insert(s.meta.at("answer_type"));
    CHECK_FALSE(s.meta.at("question_type").empty());
    // Most of the ten people agree: the majority answer is what the demonstration shows.
    CHECK(std::count(s.references.begin(), s.references.end(), s.demo_answer) >= 7);
  }
  CHECK(answer_types.size() >= 2);
  for (const auto& s : load("gqa").eval.samples) {
    CHECK_THAT(s.meta.at("structural"), Catch::Matchers::Matches("verify|query|choose"));
    CHECK_THAT(s.meta.at("semantic"), Catch::Matchers::Matches("attr|obj|rel"));
  }
  const auto mmmu = load("mmmu");
  const auto open = std::count_if(mmmu.eval.samples.begin(), mmmu.eval.samples.end(),
                                  [](const auto& s) { return s.meta.at("question_type") == "open"; });
  CHECK(open >= 1);
  CHECK(mmmu.eval.samples.front().options.empty());  // the open kind comes first
  CHECK(mmmu.eval.samples[1].options.size() == 4);
}

TEST_CASE("demo: COCO captions name exactly the colours the image shows", "[demo]") {
  const auto names = [](const auto& palette, const std::string& word) {
    return std::any_of(palette.begin(), palette.end(), [&](const auto& c) { return word == c.name; });
  };
  for (const auto& s : load("coco").eval.samples) {
    REQUIRE(s.references.size() == 5);
    const auto image = mmh::image::decode_image_file(s.images.front().path);
    const std::string background = color_name_of(&image.rgb[0]);  // a corner
    std::set<std::string> shown;
    for (std::size_t i = 0; i < image.rgb.size(); i += 3) shown.insert(color_name_of(&image.rgb[i]));
    shown.erase(background);
    CHECK_FALSE(shown.empty());
    for (const auto& caption : s.references) {
      INFO("image " << s.images.front().key << ": " << caption);
      std::set<std::string> named;
      for (const auto& word : mmh::demo::caption_tokens(caption)) {
        if (names(mmh::demo::shape_colors(), word)) named.insert(word);
        if (names(mmh::demo::background_colors(), word)) CHECK(word == background);
      }
      CHECK(shown == named);
    }
  }
}

TEST_CASE("demo: rendered shapes sit where the scene says, in its colours, and survive PNG", "[demo]") {
  mmh::demo::DemoRandom random(5, "render test");
  for (int i = 0; i < 50; ++i) {
    const auto scene = mmh::demo::draw_scene(random, {});
    const auto image = mmh::demo::render_scene(scene);
    REQUIRE(image.rgb.size() == std::size_t(image.width) * image.height * 3);
    const std::string png = mmh::image::encode_png(image);
    CHECK(mmh::image::encode_png(image) == png);  // no time stamp, fixed zlib settings
    const auto decoded =
        mmh::image::decode_image_memory(reinterpret_cast<const std::uint8_t*>(png.data()), png.size(), "encoded");
    CHECK(decoded.width == image.width);
    CHECK(decoded.rgb == image.rgb);
    CHECK(color_name_of(&image.rgb[0]) == scene.background_name());  // a corner shows the background
    for (const auto& shape : scene.shapes) {
      // The centre of the lower half lies inside every kind of shape (a triangle is widest at its base).
      const int x = shape.cx, y = shape.cy + shape.size / 4;
      CHECK(color_name_of(&image.rgb[(std::size_t(y) * image.width + x) * 3]) == shape.color_name());
      CHECK(shape.cx - shape.size / 2 >= 0);
      CHECK(shape.cx + shape.size / 2 < image.width);
    }
    for (std::size_t k = 1; k < scene.shapes.size(); ++k)
      CHECK(scene.shapes[k - 1].cx + scene.shapes[k - 1].size / 2 < scene.shapes[k].cx - scene.shapes[k].size / 2);
  }
}

TEST_CASE("demo: VQA and GQA answers are what the scene shows", "[demo]") {
  using mmh::demo::ShapeKind;
  mmh::demo::DemoRandom random(11, "question test");
  const auto kind_of = [](const std::string& name) {
    return name == "circle" ? ShapeKind::kCircle : name == "square" ? ShapeKind::kSquare : ShapeKind::kTriangle;
  };
  const auto index_of = [](const mmh::demo::Scene& scene, ShapeKind kind) {
    for (std::size_t i = 0; i < scene.shapes.size(); ++i)
      if (scene.shapes[i].kind == kind) return static_cast<int>(i);
    return -1;
  };
  std::smatch m;
  int checked = 0;
  for (int i = 0; i < 300; ++i) {
    const auto scene = mmh::demo::draw_scene(random, {});
    const auto yes = [](bool b) { return std::string(b ? "yes" : "no"); };
    const auto vqa = mmh::demo::ask_vqav2(scene, random);
    const auto gqa = mmh::demo::ask_gqa(scene, random);
    for (const auto& [q, a] : {std::pair{vqa.question, vqa.answer}, std::pair{gqa.question, gqa.answer}}) {
      INFO(q << " -> " << a);
      std::string expected;
      if (std::regex_match(q, m, std::regex("What color is the (circle|square|triangle)\\?")))
        expected = scene.find(kind_of(m[1]))->color_name();
      else if (q == "How many shapes are there?") expected = std::to_string(scene.shapes.size());
      else if (std::regex_match(q, m, std::regex("How many (\\w+)s are there\\?")))
        expected = std::to_string(scene.has(kind_of(m[1])) ? 1 : 0);
      else if (std::regex_match(q, m, std::regex("What is the (\\w+) object\\?"))) {
        for (const auto& shape : scene.shapes)
          if (shape.color_name() == m[1].str()) expected = shape.kind_name();
      } else if (std::regex_match(
                     q, m, std::regex("(On which side is the (\\w+)|Is the (\\w+) on the left or on the right)\\?"))) {
        const int at = index_of(scene, kind_of(m[2].matched ? m[2] : m[3]));
        expected = at == 0 ? "left" : at + 1 == static_cast<int>(scene.shapes.size()) ? "right" : "?";
      } else if (std::regex_match(q, m, std::regex("Is there a (\\w+)( in the image)?\\?")))
        expected = yes(scene.has(kind_of(m[1])));
      else if (std::regex_match(q, m, std::regex("Is the (\\w+) (\\w+) or (\\w+)\\?")))
        expected = scene.find(kind_of(m[1]))->color_name();
      else if (std::regex_match(q, m, std::regex("Is the (\\w+) to the left of the (\\w+)\\?")))
        expected = yes(index_of(scene, kind_of(m[1])) < index_of(scene, kind_of(m[2])));
      else if (std::regex_match(q, m, std::regex("Is the (\\w+) (\\w+)\\?")))
        expected = yes(scene.find(kind_of(m[1]))->color_name() == m[2].str());
      else if (std::regex_match(q, m, std::regex("Which shape is to the left of the (\\w+)\\?")))
        expected = scene.shapes[index_of(scene, kind_of(m[1])) - 1].kind_name();
      else if (q == "What color is the background?") expected = scene.background_name();
      else if (q == "What shape is on the left?" || q == "What shape is this?") expected = scene.shapes[0].kind_name();
      else FAIL("a question the test does not know: " << q);
      CHECK(a == expected);
      ++checked;
    }
    const auto people = mmh::demo::human_answers(vqa, random);
    REQUIRE(people.size() == 10);
    CHECK(std::count(people.begin(), people.end(), vqa.answer) >= 7);
  }
  CHECK(checked == 600);

  mmh::demo::Scene dark = mmh::demo::draw_scene(random, {.min_shapes = 1, .max_shapes = 1});
  dark.dark = true;
  const auto unusable = mmh::demo::ask_vizwiz(dark, random);
  CHECK(unusable.answer == "unanswerable");
  CHECK(unusable.answer_type == "unanswerable");
  const auto sign = mmh::demo::draw_scene(random, {.sign_with_number = true});
  for (int i = 0; i < 20; ++i) {
    const auto q = mmh::demo::ask_textvqa(sign, random);
    if (q.answer_type == "number") CHECK(q.answer == std::to_string(sign.number));
  }
}

TEST_CASE("demo: prompts build at 4 and 8 shots for every task", "[demo]") {
  for (const auto& task : mmh::tasks::task_catalog()) {
    INFO("task " << task.id);
    const auto data = load(task.id);
    for (const char* templates : {"fewshot", "instruct"})
      for (int shots : {4, 8}) {
        const mmh::prompts::PromptOptions options{mmh::prompts::find_template_set(templates), shots,
                                                  mmh::prompts::DemoMode::kPerQuery, 1, false};
        for (const auto& query : data.eval.samples) {
          const auto built = mmh::prompts::build_prompt(data, query, options);
          CHECK(built.shots == shots);
          std::size_t images = 0;
          for (const auto& s : built.prompt) images += s.kind == mmh::prompts::Segment::Kind::kImage;
          CHECK(images >= std::size_t(shots) + 1);
          if (task.id != "mmmu") CHECK(images == std::size_t(shots) + 1);
        }
      }
  }
  const auto vqav2 = load("vqav2");
  const auto built = mmh::prompts::build_prompt(
      vqav2, vqav2.eval.samples.front(),
      {mmh::prompts::find_template_set("fewshot"), 4, mmh::prompts::DemoMode::kPerQuery, 0, false});
  const std::string text = mmh::prompts::preview_text(built.prompt);
  CHECK(text.rfind("<image>Question: ", 0) == 0);
  CHECK(text.substr(text.size() - std::string("Short answer:").size()) == "Short answer:");
}

TEST_CASE("demo: the tokenizer loads, matches the checkpoint and round-trips every text", "[demo]") {
  const fs::path model = demo_dir() / "model";
  const auto tok = mmh::tokenizer::Tokenizer::load(model);
  const auto config = mmh::weights::read_model_config(model);
  CHECK(tok->kind == "bpe");
  CHECK(tok->size() == std::size_t(config.text.vocab_size));
  CHECK(tok->size() >= 800);
  CHECK(tok->size() <= 2000);
  CHECK(tok->token_id("<unk>") == 0);
  CHECK(tok->bos_id == 1);
  CHECK(tok->eos_id == 2);
  CHECK(tok->token_id("<image>") == config.image_token_index);
  CHECK(config.image_token_index == static_cast<int>(tok->size()) - 2);
  CHECK(tok->pad_id == static_cast<int>(tok->size()) - 1);
  const auto generation = mmh::read_json_file(model / "generation_config.json");
  CHECK(generation.at("bos_token_id") == 1);
  CHECK(generation.at("eos_token_id") == 2);

  const auto ids = tok->encode("USER: <image>\nWhat color is the circle? ASSISTANT:");
  REQUIRE(ids.size() > 3);
  CHECK(ids.front() == 1);
  CHECK(std::count(ids.begin(), ids.end(), config.image_token_index) == 1);
  CHECK(tok->decode(ids, /*skip_special=*/true) == "USER: \nWhat color is the circle? ASSISTANT:");

  std::size_t bytes = 0, tokens = 0, texts = 0;
  for (const auto& task : mmh::tasks::task_catalog()) {
    const auto data = load(task.id);
    auto all = sample_texts(data);
    all.push_back(mmh::prompts::preview_text(mmh::prompts::build_prompt(
                                                 data, data.eval.samples.front(),
                                                 {mmh::prompts::find_template_set("fewshot"), 4,
                                                  mmh::prompts::DemoMode::kPerQuery, 0, false})
                                                 .prompt));
    for (const auto& text : all) {
      INFO(text);
      const auto encoded = tok->encode(text, false);
      CHECK(tok->decode(encoded) == text);
      bytes += text.size(), tokens += encoded.size(), ++texts;
    }
  }
  CHECK(texts > 500);
  INFO(tokens << " tokens for " << bytes << " bytes");
  CHECK(tokens * 3 < bytes);  // words of the demo are mostly single tokens
}

TEST_CASE("demo: the same arguments give byte-identical files, another seed others", "[demo]") {
  TempDir a, b, c;
  mmh::demo::demo_setup({a / "demo", 3, 8, 42});
  mmh::demo::demo_setup({b / "demo", 3, 8, 42});
  mmh::demo::demo_setup({c / "demo", 3, 8, 43});
  const auto first = all_files(a / "demo"), again = all_files(b / "demo"), other = all_files(c / "demo");
  CHECK(first.size() > 50);
  CHECK(first == again);
  CHECK(first.count("model/model.safetensors") == 1);
  CHECK(first.count("model/tokenizer.json") == 1);
  CHECK(first.count("demo-setup.json") == 1);
  CHECK(first.count("tokenizer/tokenizer.json") == 0);  // the staging copy is gone
  CHECK(first.at("data/coco/dataset_coco.json") != other.at("data/coco/dataset_coco.json"));
  CHECK(first.at("model/model.safetensors") != other.at("model/model.safetensors"));
}

TEST_CASE("demo: a second run with the same arguments is a no-op, other arguments are refused", "[demo]") {
  TempDir dir;
  const DemoSetupOptions options{dir / "demo", 2, 8, 1};
  const auto written = mmh::demo::demo_setup(options);
  CHECK_FALSE(written.up_to_date);
  const auto before = all_files(dir / "demo");
  const auto again = mmh::demo::demo_setup(options);
  CHECK(again.up_to_date);
  CHECK(again.vocab_size == written.vocab_size);
  CHECK(again.parameters == written.parameters);
  CHECK(again.tasks.size() == 9);
  CHECK(all_files(dir / "demo") == before);

  DemoSetupOptions other = options;
  other.seed = 2;
  CHECK_THROWS_WITH(mmh::demo::demo_setup(other), Catch::Contains("other arguments"));
  CHECK(all_files(dir / "demo") == before);

  mmh::test::write_file(dir / "foreign/notes.txt", "mine");
  CHECK_THROWS_WITH(mmh::demo::demo_setup({dir / "foreign", 2, 8, 1}), Catch::Contains("not empty"));
  CHECK(all_files(dir / "foreign").size() == 1);
  mmh::test::write_file(dir / "a-file", "x");
  CHECK_THROWS_WITH(mmh::demo::demo_setup({dir / "a-file", 2, 8, 1}), Catch::Contains("not a folder"));

  mmh::test::write_file(dir / "other-tool/demo-setup.json", R"({"written_by": "someone else"})");
  CHECK_THROWS_WITH(mmh::demo::demo_setup({dir / "other-tool", 2, 8, 1}), Catch::Contains("was not written by"));
  mmh::test::write_file(dir / "damaged/demo-setup.json",
                        R"({"written_by": "mmharness demo-setup", "format_version": 1,
                            "arguments": {"samples": 2, "pool": 8, "seed": 1}, "tasks": 5})");
  CHECK_THROWS_WITH(mmh::demo::demo_setup({dir / "damaged", 2, 8, 1}), Catch::Contains("is damaged"));

  fs::create_directories(dir / "empty");
  CHECK_FALSE(mmh::demo::demo_setup({dir / "empty", 2, 8, 1}).up_to_date);  // an empty folder is taken
  CHECK(fs::is_regular_file(dir / "empty/demo-setup.json"));
}

TEST_CASE("demo: absurd sizes are refused before anything is written", "[demo]") {
  TempDir dir;
  for (const auto& [samples, pool, what] :
       {std::tuple<std::int64_t, std::int64_t, const char*>{0, 16, "--samples"}, {-3, 16, "--samples"},
        {10001, 16, "--samples"}, {12, 7, "--pool"}, {12, 0, "--pool"}, {12, 10001, "--pool"}}) {
    INFO(samples << " " << pool);
    try {
      mmh::demo::demo_setup({dir / "demo", samples, pool, 0});
      FAIL("accepted");
    } catch (const mmh::Error& e) {
      CHECK(e.where() == what);
      CHECK(e.exit_code() == 2);
    }
  }
  CHECK_THROWS_AS(mmh::demo::demo_setup({"", 12, 16, 0}), mmh::Error);
  CHECK_FALSE(fs::exists(dir / "demo"));
}
