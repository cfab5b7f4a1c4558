// Task loaders on small fixtures in every official format: counts, split
// selection, keys, images, references, and one clear error per bad input.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "support/task_fixtures.h"
#include "support/temp_dir.h"
#include "tasks/python_literal.h"
#include "tasks/task_data.h"

using namespace mmh::tasks;
using mmh::test::TempDir;
using mmh::test::write_file;

namespace {

TaskData load(const TempDir& root, const std::string& task) {
  return load_task(*find_task(task), DataRoot(root.path()));
}

struct Counts {
  const char* task;
  std::size_t eval, demos;
  const char* eval_split;
  const char* first_key;
};

}  // namespace

TEST_CASE("loaders: every task loads its evaluated split and its demonstration pool", "[tasks][loaders]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  for (const Counts& c : {Counts{"coco", 3, 6, "test", "1"}, Counts{"nocaps", 2, 6, "val", "0"},
                          Counts{"textcaps", 2, 4, "val", "valimg0"}, Counts{"vqav2", 3, 6, "val", "1000"},
                          Counts{"okvqa", 3, 6, "val", "1007"}, Counts{"textvqa", 2, 5, "val", "100"},
                          Counts{"vizwiz", 2, 5, "val", "VizWiz_val_00000000.jpg"},
                          Counts{"gqa", 3, 6, "testdev", "9000"}, Counts{"mmmu", 3, 5, "validation", "validation_Art_1"}}) {
    INFO("task " << c.task);
    const TaskData data = load(root, c.task);
    CHECK(data.eval.split == c.eval_split);
    CHECK(data.eval.samples.size() == c.eval);
    CHECK(data.demos.samples.size() == c.demos);
    REQUIRE(!data.eval.samples.empty());
    CHECK(data.eval.samples.front().key == c.first_key);
    for (const auto* split : {&data.eval, &data.demos}) {
      const ImageCount images = count_images(*split);
      CHECK(images.missing == 0);
      CHECK(images.found > 0);
      for (const auto& s : split->samples) {
        CHECK_FALSE(s.references.empty());
        CHECK_FALSE(s.demo_answer.empty());
        CHECK_FALSE(s.images.empty());
      }
    }
  }
}

TEST_CASE("loaders: what each sample carries", "[tasks][loaders]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const auto coco = load(root, "coco");
  const auto& first = coco.eval.samples.front();
  CHECK(first.images.front().key == "coco/val2014/COCO_val2014_000000000001.jpg");
  CHECK(first.images.front().path == root / "coco/val2014/COCO_val2014_000000000001.jpg");
  CHECK(first.references.size() == 5);
  CHECK(first.references.front() == "Image 1 caption 0. ");  // raw, as the metric reads it
  CHECK(first.demo_answer == "Image 1 caption 0.");          // trimmed for the prompt
  CHECK(coco.demos.split == "train");                         // restval (image 21) is in neither

  const auto nocaps = load(root, "nocaps");
  CHECK(nocaps.demos.files.front() == root / "coco/dataset_coco.json");  // demonstrations from COCO train
  CHECK(nocaps.eval.samples[1].meta.at("domain") == "out-domain");

  const auto vqa = load(root, "vqav2");
  const auto& q = vqa.eval.samples.front();
  CHECK(q.question == "What is in image 1?");
  CHECK(q.references.size() == 10);
  CHECK(q.demo_answer == "cat");  // the most frequent human answer
  CHECK(q.meta.at("answer_type") == "other");
  CHECK(q.images.front().key == "coco/val2014/COCO_val2014_000000000001.jpg");
  CHECK(vqa.demos.samples.front().images.front().key == "coco/train2014/COCO_train2014_000000000011.jpg");

  const auto gqa = load(root, "gqa");
  CHECK(gqa.demos.skipped == 1);  // the unbalanced train question
  CHECK(gqa.eval.samples.front().meta.at("structural") == "verify");

  const auto mmmu = load(root, "mmmu");
  const auto& two_images = mmmu.eval.samples[1];
  CHECK(two_images.options == std::vector<std::string>{"<image 2>", "neither"});
  REQUIRE(two_images.images.size() == 2);
  CHECK(two_images.images[1].key == "mmmu/images/math2_option.png");  // the record's image_2 field
  CHECK(two_images.meta.at("subject") == "Math");
  CHECK(mmmu.eval.samples[2].options.empty());  // an open question
  CHECK(mmmu.demos.samples.front().options == std::vector<std::string>{"Monet", "Degas", "O'Keeffe"});
}

TEST_CASE("loaders: --task-dir moves one task's folder", "[tasks][loaders]") {
  TempDir root, elsewhere;
  mmh::test::write_task_fixtures(root.path());
  std::filesystem::rename(root / "vizwiz", elsewhere / "vizwiz");
  CHECK_THROWS_WITH(load(root, "vizwiz"), Catch::Contains("vizwiz/val.json") && Catch::Contains("no such file"));
  const auto data = load_task(*find_task("vizwiz"), DataRoot(root.path(), {{"vizwiz", elsewhere / "vizwiz"}}));
  CHECK(count_images(data.eval).found == 2);
  CHECK(parse_task_dir("coco=/x").second == "/x");
  CHECK_THROWS_WITH(parse_task_dir("imagenet=/x"), Catch::Contains("unknown task 'imagenet'"));
  CHECK_THROWS_WITH(parse_task_dir("coco"), Catch::Contains("TASK=PATH"));
}

TEST_CASE("loaders: bad input names the file and the record", "[tasks][loaders][errors]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const auto vqa_annotations = root / "vqav2/v2_mscoco_val2014_annotations.json";
  const auto gqa_file = root / "gqa/testdev_balanced_questions.json";
  auto error_of = [&](const std::string& task) {
    try {
      load(root, task);
    } catch (const mmh::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };

  SECTION("a missing file") {
    std::filesystem::remove(vqa_annotations);
    CHECK_THAT(error_of("vqav2"), Catch::Contains(vqa_annotations.string()) && Catch::Contains("no such file"));
  }
  SECTION("a JSON syntax error, with line and column") {
    write_file(vqa_annotations, "{\"annotations\": [\n  {\"question_id\": 1000,,}]}");
    CHECK_THAT(error_of("vqav2"), Catch::Contains(vqa_annotations.string() + ":2:") && Catch::Contains("malformed JSON"));
  }
  SECTION("invalid UTF-8") {
    write_file(gqa_file, "{\"1\": {\"question\": \"caf\xe9?\", \"imageId\": \"n1\", \"answer\": \"no\"}}");
    CHECK_THAT(error_of("gqa"), Catch::Contains(gqa_file.string()) && Catch::Contains("malformed JSON"));
  }
  SECTION("fewer than ten answers") {
    auto annotations = nlohmann::json::parse(mmh::test::read_file(vqa_annotations));
    annotations["annotations"][0]["answers"].erase(0);
    write_file(vqa_annotations, annotations.dump());
    CHECK_THAT(error_of("vqav2"), Catch::Contains("record 0") && Catch::Contains("has 9 answers"));
  }
  SECTION("an empty question") {
    write_file(gqa_file, R"J({"1": {"question": "  ", "imageId": "n1", "answer": "no"}})J");
    CHECK_THAT(error_of("gqa"), Catch::Contains("question 1") && Catch::Contains("empty question"));
  }
  SECTION("questions and annotations that do not match") {
    const auto questions = root / "vqav2/v2_OpenEnded_mscoco_val2014_questions.json";
    write_file(questions, R"J({"questions": [{"image_id": 1, "question": "Q?", "question_id": 1000}]})J");
    CHECK_THAT(error_of("vqav2"), Catch::Contains("record 1") && Catch::Contains("answers question 2000"));
  }
  SECTION("a file of the wrong shape") {
    write_file(root / "coco/dataset_coco.json", "7");
    CHECK_THAT(error_of("coco"), Catch::Contains("dataset_coco.json") && Catch::Contains("expected an object, found a JSON number"));
    write_file(root / "vizwiz/val.json", R"J({"data": []})J");
    CHECK_THAT(error_of("vizwiz"), Catch::Contains("val.json") && Catch::Contains("has no \"records\" list"));
    write_file(root / "mmmu/validation.jsonl", "[1]\n");
    CHECK_THAT(error_of("mmmu"), Catch::Contains("validation.jsonl:1") && Catch::Contains("one JSON object per line"));
    write_file(root / "textvqa/TextVQA_0.5.1_val.json", R"J({"data": {}})J");
    CHECK_THAT(error_of("textvqa"), Catch::Contains("has no \"data\" list"));
  }
  SECTION("a repeated question id") {
    const auto questions = root / "vqav2/v2_OpenEnded_mscoco_val2014_questions.json";
    write_file(questions, R"J({"questions": [{"image_id": 1, "question": "Q?", "question_id": 1000},
        {"image_id": 1, "question": "Q?", "question_id": 1000}]})J");
    CHECK_THAT(error_of("vqav2"), Catch::Contains("record 1") && Catch::Contains("duplicate question id 1000"));
  }
  SECTION("a repeated image or GQA question") {
    auto vizwiz = nlohmann::json::parse(mmh::test::read_file(root / "vizwiz/val.json"));
    vizwiz[1]["image"] = vizwiz[0]["image"];
    write_file(root / "vizwiz/val.json", vizwiz.dump());
    CHECK_THAT(error_of("vizwiz"), Catch::Contains("record 1") && Catch::Contains("duplicate image VizWiz_val_00000000.jpg"));
    write_file(gqa_file, R"J({"1": {"question": "Q?", "imageId": "n1", "answer": "no"},
        "1": {"question": "Q?", "imageId": "n1", "answer": "no", "isBalanced": false}})J");
    CHECK_THAT(error_of("gqa"), Catch::Contains("question 1") && Catch::Contains("duplicate question id 1"));
  }
  SECTION("a wrong type") {
    write_file(root / "vizwiz/val.json", R"J([{"image": "a.jpg", "question": 7, "answers": []}])J");
    CHECK_THAT(error_of("vizwiz"), Catch::Contains("record 0") && Catch::Contains("\"question\" has the wrong type"));
  }
  SECTION("a caption without text") {
    write_file(root / "nocaps/nocaps_val_4500_captions.json",
               R"J({"images": [{"id": 0, "file_name": "a.jpg"}], "annotations": [{"image_id": 0, "caption": " "}]})J");
    CHECK_THAT(error_of("nocaps"), Catch::Contains("record 0") && Catch::Contains("empty reference caption"));
  }
  SECTION("MMMU: a broken line, bad options, an impossible image") {
    const auto file = root / "mmmu/validation.jsonl";
    write_file(file, "{\"id\": \"validation_Art_1\", \"question\": \"Q\", \"options\": \"[]\", \"answer\": \"A\",\n");
    CHECK_THAT(error_of("mmmu"), Catch::Contains(file.string() + ":1") && Catch::Contains("malformed JSON"));
    write_file(file, R"J({"id": "v_A_1", "question": "Q", "options": "['a', b]", "answer": "A", "question_type": "multiple-choice"})J");
    CHECK_THAT(error_of("mmmu"), Catch::Contains(":1 options") && Catch::Contains("not a Python list"));
    write_file(file, R"J({"id": "v_A_1", "question": "Q <image 9>", "options": "['a']", "answer": "A", "question_type": "multiple-choice"})J");
    CHECK_THAT(error_of("mmmu"), Catch::Contains("<image 9>"));
    write_file(file, "\n\n{\"id\": \"v_A_1\", \"question\": \"Q <image 1>\", \"options\": \"['a']\", \"answer\": \"A\", "
                     "\"question_type\": \"multiple-choice\", \"image_1\": \"../../etc/passwd\"}\n");
    CHECK_THAT(error_of("mmmu"), Catch::Contains(":3") && Catch::Contains("inside mmmu/images/"));
  }
}

TEST_CASE("loaders: missing images are counted, with the first one named", "[tasks][loaders][errors]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  std::filesystem::remove(root / "textvqa/train_images/valtext1.jpg");
  const auto data = load(root, "textvqa");
  const auto images = count_images(data.eval);
  CHECK(images.found == 1);
  CHECK(images.missing == 1);
  CHECK(images.first_missing == (root / "textvqa/train_images/valtext1.jpg").string());
  CHECK(images.first_missing_sample == "101");
}

TEST_CASE("loaders: --limit takes the same seeded subset every time", "[tasks][loaders]") {
  TaskInfo task;
  task.id = "vqav2";
  TaskData data;
  data.task = &task;
  for (int i = 0; i < 1000; ++i) data.eval.samples.push_back({std::to_string(100000 + i), {}, "", {}, {"a"}, "a", {}});
  const auto a = limited_subset(data, 50, 0);
  CHECK(a.size() == 50);
  CHECK(limited_subset(data, 50, 0) == a);
  CHECK(std::is_sorted(a.begin(), a.end()));  // file order
  CHECK(a != std::vector<std::size_t>(a.size()) );
  CHECK(a.back() > 100);  // not the first 50
  const auto larger = limited_subset(data, 80, 0);
  CHECK(std::includes(larger.begin(), larger.end(), a.begin(), a.end()));
  CHECK(limited_subset(data, 50, 1) != a);
  CHECK(limited_subset(data, 5000, 0).size() == 1000);
}

TEST_CASE("python literals: MMMU's options column", "[tasks][loaders]") {
  CHECK(parse_python_string_list("['a', \"b\"]", "x") == std::vector<std::string>{"a", "b"});
  CHECK(parse_python_string_list("[]", "x").empty());
  CHECK(parse_python_string_list(" [ 'it\\'s' , \"say \\\"hi\\\"\", 'a' 'b', ] ", "x") ==
        std::vector<std::string>{"it's", "say \"hi\"", "ab"});
  CHECK(parse_python_string_list("['\\u00e9\\x41\\n\\\\', '\\d']", "x") ==
        std::vector<std::string>{"\xc3\xa9" "A\n\\", "\\d"});
  CHECK(parse_python_string_list("['caf\xc3\xa9']", "x") == std::vector<std::string>{"caf\xc3\xa9"});
  for (const char* bad : {"", "[", "['a'", "['a' 'b'", "[1]", "['a'] x", "['\\x4']", "['a\nb']"})
    CHECK_THROWS_WITH(parse_python_string_list(bad, "rec 3"), Catch::Contains("rec 3") && Catch::Contains("not a Python list"));
}

TEST_CASE("loaders: the demonstration split can be chosen", "[tasks][loaders]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const DataRoot data_root(root.path());
  const auto restval = load_task(*find_task("nocaps"), data_root, Splits::kBoth, "coco:restval");
  REQUIRE(restval.demos.samples.size() == 1);
  CHECK(restval.demos.samples.front().key == "21");
  CHECK(load_task(*find_task("vqav2"), data_root, Splits::kBoth, "val").demos.samples.size() == 3);
  CHECK(load_task(*find_task("coco"), data_root, Splits::kEvalOnly).demos.samples.empty());
  CHECK_THROWS_WITH(load_task(*find_task("nocaps"), data_root, Splits::kBoth, "test"), Catch::Contains("coco:train"));
  CHECK_THROWS_WITH(load_task(*find_task("coco"), data_root, Splits::kBoth, "nonsense"),
                    Catch::Contains("no images in the Karpathy \"nonsense\" split"));
}
