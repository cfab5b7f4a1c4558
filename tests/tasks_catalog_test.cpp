#include <catch2/catch.hpp>
#include <set>

#include "support/temp_dir.h"
#include "tasks/catalog.h"
#include "tasks/task_data.h"

TEST_CASE("catalog: the nine benchmarks, each with splits, a metric and files", "[tasks]") {
  const auto tasks = mmh::tasks::task_catalog();
  std::vector<std::string> ids;
  for (const auto& t : tasks) {
    INFO(t.id);
    ids.push_back(t.id);
    CHECK_FALSE(t.eval_split.empty());
    CHECK_FALSE(t.demo_split.empty());
    CHECK((t.headline_metric == "CIDEr" || t.headline_metric == "accuracy"));
    REQUIRE_FALSE(t.layouts.empty());
    for (const auto& layout : t.layouts) {
      CHECK_FALSE(layout.paths.empty());
      for (const auto& p : layout.paths) CHECK_FALSE(p.starts_with("/"));
    }
  }
  CHECK(ids == std::vector<std::string>{"coco", "nocaps", "textcaps", "vqav2", "textvqa", "vizwiz", "gqa", "okvqa",
                                        "mmmu"});
  CHECK(mmh::tasks::find_task("gqa")->eval_split == "testdev");
  CHECK(mmh::tasks::find_task("imagenet") == nullptr);
  CHECK(mmh::tasks::known_task_ids() == "coco, nocaps, textcaps, vqav2, textvqa, vizwiz, gqa, okvqa, mmmu");
}

TEST_CASE("catalog: check_files tells files from folders", "[tasks]") {
  mmh::test::TempDir root;
  mmh::test::write_file(root / "vizwiz/train.json", "{}");
  mmh::test::write_file(root / "vizwiz/val.json", "{}");
  std::filesystem::create_directories(root / "vizwiz/train");
  mmh::test::write_file(root / "vizwiz/val", "a file, not the image folder");
  const auto checks = mmh::tasks::check_files(*mmh::tasks::find_task("vizwiz"), mmh::tasks::DataRoot(root.path()));
  REQUIRE(checks.size() == 1);
  std::vector<bool> found;
  for (const auto& p : checks[0].paths) found.push_back(p.found);
  CHECK(found == std::vector<bool>{true, true, true, false});
  CHECK_FALSE(checks[0].complete());
}
