// Prompt building: the fewshot and instruct layouts for every prompt kind and
// shot count, deterministic demonstrations, the context budget, post-processing.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "prompts/builder.h"
#include "support/task_fixtures.h"
#include "support/temp_dir.h"
#include "tasks/postprocess.h"

using namespace mmh::prompts;
using mmh::tasks::TaskData;
using mmh::test::TempDir;

namespace {

TaskData load(const TempDir& root, const std::string& task) {
  return mmh::tasks::load_task(*mmh::tasks::find_task(task), mmh::tasks::DataRoot(root.path()));
}

PromptOptions options(const char* templates, int shots, DemoMode mode = DemoMode::kPerQuery, std::uint64_t seed = 0) {
  return {find_template_set(templates), shots, mode, seed, false};
}

// The prompt as a compact string: [I] for an image, | for an end of chunk, U:/A: when the role changes.
std::string shape(const Prompt& prompt) {
  std::string out;
  Role role = Role::kNone;
  for (const auto& s : prompt) {
    if (s.role != role) out += s.role == Role::kUser ? "U:" : s.role == Role::kAssistant ? "A:" : "-:";
    role = s.role;
    if (s.kind == Segment::Kind::kImage) out += "[I]";
    if (s.kind == Segment::Kind::kEndOfChunk) out += "|";
    if (s.kind == Segment::Kind::kText) out += s.text;
  }
  return out;
}

}  // namespace

TEST_CASE("prompts: fewshot VQA, the MM1 / Flamingo layout", "[prompts]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const auto data = load(root, "vqav2");
  const auto& query = data.eval.samples.front();

  const auto zero = build_prompt(data, query, options("fewshot", 0));
  CHECK(shape(zero.prompt) == "[I]Question: What is in image 1? Short answer:");
  CHECK(zero.demo_keys.empty());
  REQUIRE(zero.prompt.front().kind == Segment::Kind::kImage);
  CHECK(zero.prompt.front().image.path == root / "coco/val2014/COCO_val2014_000000000001.jpg");

  const auto four = build_prompt(data, query, options("fewshot", 4));
  CHECK(four.shots == 4);
  REQUIRE(four.demo_keys.size() == 4);
  std::string expected;
  for (const auto& key : four.demo_keys) {
    const int image = std::stoi(key) / 1000;
    expected += "[I]Question: What is in image " + std::to_string(image) + "? Short answer: cat|";
  }
  CHECK(shape(four.prompt) == expected + "[I]Question: What is in image 1? Short answer:");
  CHECK(preview_text(four.prompt).find("<image>Question: What is in image") == 0);
}

TEST_CASE("prompts: fewshot captions and MMMU, with images where the placeholders stand", "[prompts]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const auto coco = load(root, "coco");
  const auto caption = build_prompt(coco, coco.eval.samples.front(), options("fewshot", 2));
  REQUIRE(caption.demo_keys.size() == 2);
  CHECK(shape(caption.prompt) == "[I]Output: Image " + caption.demo_keys[0] + " caption 0.|[I]Output: Image " +
                                     caption.demo_keys[1] + " caption 0.|[I]Output:");

  const auto mmmu = load(root, "mmmu");
  const auto two_images = build_prompt(mmmu, mmmu.eval.samples[1], options("fewshot", 0));
  CHECK(shape(two_images.prompt) == "Compare [I] with the options.\nA. [I]\nB. neither\nAnswer:");
  CHECK(two_images.prompt[1].image.key == "mmmu/images/validation_Math_2_1.png");
  CHECK(two_images.prompt[3].image.key == "mmmu/images/math2_option.png");
  const auto one_shot = build_prompt(mmmu, mmmu.eval.samples[0], options("fewshot", 1));
  CHECK(shape(one_shot.prompt) ==
        "Which painter made [I]?\nA. Monet\nB. Degas\nC. O'Keeffe\nAnswer: B|Who painted [I]?\nA. Monet\nB. Degas\nAnswer:");
}

TEST_CASE("prompts: instruct, as chat turns with the task's instruction", "[prompts]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const auto vizwiz = load(root, "vizwiz");
  const auto zero = build_prompt(vizwiz, vizwiz.eval.samples.front(), options("instruct", 0));
  CHECK(shape(zero.prompt) == "U:[I]\nWhat is this?\nWhen the provided information is insufficient, respond with "
                              "'Unanswerable'.\nAnswer the question using a single word or phrase.");
  const auto vqa = load(root, "vqav2");
  const auto one = build_prompt(vqa, vqa.eval.samples.front(), options("instruct", 1));
  const std::string instruction = "Answer the question using a single word or phrase.";
  const int demo_image = std::stoi(one.demo_keys.at(0)) / 1000;
  CHECK(shape(one.prompt) == "U:[I]\nWhat is in image " + std::to_string(demo_image) + "?\n" + instruction +
                                 "A:cat|U:[I]\nWhat is in image 1?\n" + instruction);
  const auto mmmu = load(root, "mmmu");
  const auto open = build_prompt(mmmu, mmmu.eval.samples[2], options("instruct", 0));
  CHECK(shape(open.prompt) == "U:What is the speed in [I], in m/s?\n" + instruction);  // no options: short answer
  const auto letter = build_prompt(mmmu, mmmu.eval.samples[0], options("instruct", 0));
  CHECK_THAT(shape(letter.prompt), Catch::EndsWith("B. Degas\nAnswer with the option's letter from the given choices directly."));
}

TEST_CASE("prompts: the text-only shots trick for zero-shot", "[prompts]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const auto data = load(root, "vqav2");
  PromptOptions o = options("fewshot", 0);
  o.text_only_shots = true;
  const auto built = build_prompt(data, data.eval.samples.front(), o);
  CHECK(built.shots == 0);
  CHECK(built.demo_keys.size() == 2);
  int images = 0;
  for (const auto& s : built.prompt) images += s.kind == Segment::Kind::kImage;
  CHECK(images == 1);  // only the query's
}

TEST_CASE("prompts: demonstrations depend on (task, seed, key) only", "[prompts][demos]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const auto data = load(root, "vqav2");
  std::vector<std::vector<std::size_t>> whole;
  for (const auto& q : data.eval.samples) whole.push_back(pick_demos(data, q, 4, 7, DemoMode::kPerQuery));
  // As shards and batches would see them: a different order, every other sample, one at a time.
  for (int shards : {2, 3}) {
    for (int shard = 0; shard < shards; ++shard)
      for (std::size_t i = static_cast<std::size_t>(shard); i < data.eval.samples.size(); i += static_cast<std::size_t>(shards))
        CHECK(pick_demos(data, data.eval.samples[i], 4, 7, DemoMode::kPerQuery) == whole[i]);
  }
  for (std::size_t i = data.eval.samples.size(); i-- > 0;)
    CHECK(pick_demos(data, data.eval.samples[i], 4, 7, DemoMode::kPerQuery) == whole[i]);
  CHECK(whole[0] != whole[1]);  // per query: draws differ (6 choose 4 = 15 sets)
  CHECK(pick_demos(data, data.eval.samples[0], 4, 8, DemoMode::kPerQuery) != whole[0]);  // another trial seed
  std::vector<std::size_t> sorted = whole[0];
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());  // distinct

  const auto fixed = pick_demos(data, data.eval.samples[0], 4, 7, DemoMode::kFixed);
  for (const auto& q : data.eval.samples) CHECK(pick_demos(data, q, 4, 7, DemoMode::kFixed) == fixed);
  CHECK(trial_seed(7, 0) == 7);
  CHECK(trial_seed(7, 1) != trial_seed(7, 2));
}

TEST_CASE("prompts: no query is its own demonstration", "[prompts][demos][errors]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  auto data = load(root, "gqa");
  data.demos = data.eval;  // the worst case: the pool is the evaluated split itself
  for (int seed = 0; seed < 50; ++seed)
    for (const auto& q : data.eval.samples)
      for (std::size_t i : pick_demos(data, q, 2, static_cast<std::uint64_t>(seed), DemoMode::kPerQuery)) {
        CHECK(data.demos.samples[i].key != q.key);
        CHECK(data.demos.samples[i].images.front().key != q.images.front().key);
      }
  for (const auto& q : data.eval.samples)  // fixed mode replaces the query itself with the next draw
    for (std::size_t i : pick_demos(data, q, 2, 3, DemoMode::kFixed)) CHECK(data.demos.samples[i].key != q.key);
  CHECK_THROWS_WITH(pick_demos(data, data.eval.samples[0], 3, 0, DemoMode::kPerQuery),
                    Catch::Contains("has 2 demonstrations for sample 9000") && Catch::Contains("3 shots"));
  CHECK_THROWS_WITH(parse_demo_mode("random"), Catch::Contains("per-query or fixed"));
}

TEST_CASE("prompts: template sets have ids and content hashes", "[prompts]") {
  const auto* fewshot = find_template_set("fewshot");
  const auto* instruct = find_template_set("instruct");
  REQUIRE(fewshot);
  REQUIRE(instruct);
  CHECK(fewshot->hash.size() == 16);
  CHECK(fewshot->hash != instruct->hash);
  CHECK(find_template_set("fewshot")->hash == fewshot->hash);
  CHECK(find_template_set("nope") == nullptr);
  CHECK(known_template_ids() == "fewshot, instruct");
}

TEST_CASE("prompts: the context budget refuses, or drops demonstrations when asked", "[prompts][budget][errors]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const auto data = load(root, "vqav2");
  const auto& query = data.eval.samples.front();
  // One token per byte of text, 100 per image, 1 per end of chunk.
  const TokenCounter counter{[](std::string_view text) { return text.size(); }, 100, 1};
  const auto full = build_prompt(data, query, options("fewshot", 4));
  const std::size_t tokens = count_tokens(full.prompt, counter);
  CHECK(tokens == 5 * 100 + 4 * 1 + preview_text(full.prompt).size() - 5 * 7 - 4);  // "<image>" is 7 bytes

  CHECK(build_prompt_within(data, query, options("fewshot", 4), counter, tokens, false).shots == 4);
  CHECK_THROWS_WITH(build_prompt_within(data, query, options("fewshot", 4), counter, tokens - 1, false),
                    Catch::Contains("sample 1000") && Catch::Contains("--truncate-demos"));
  const auto truncated = build_prompt_within(data, query, options("fewshot", 4), counter, tokens - 1, true);
  CHECK(truncated.shots == 3);
  CHECK(truncated.demo_keys == std::vector<std::string>(full.demo_keys.begin() + 1, full.demo_keys.end()));
  CHECK(build_prompt_within(data, query, options("fewshot", 4), counter, 150, true).shots == 0);
  CHECK_THROWS_WITH(build_prompt_within(data, query, options("fewshot", 4), counter, 50, true),
                    Catch::Contains("even without demonstrations"));
}

TEST_CASE("post-processing: named steps from raw output to prediction", "[tasks][postprocess]") {
  using mmh::tasks::postprocess;
  CHECK(postprocess("caption", " A dog on a couch.\nOutput: A cat") == "A dog on a couch.");
  CHECK(postprocess("caption", "A dog Output: x") == "A dog");
  CHECK(postprocess("vqa_short", " two, maybe three") == "two");
  CHECK(postprocess("vqa_short", "yes Question: what") == "yes");
  CHECK(postprocess("vqa_short", "\nred\nQuestion") == "red");
  CHECK(postprocess("vqa_short", "blue Short answer: red") == "blue");
  CHECK(postprocess("mmmu_response", "  (B) because ...  ") == "(B) because ...");
  CHECK_THROWS_WITH(postprocess("nope", "x"), Catch::Contains("unknown step 'nope'"));
  for (const auto& t : mmh::tasks::task_catalog()) {
    INFO(t.id);
    CHECK_NOTHROW(postprocess(t.postprocess, "x"));
  }
}
