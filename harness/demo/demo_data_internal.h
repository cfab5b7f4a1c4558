#pragma once
// Shared by the writers of the nine tasks' files (demo_data_*.cpp); not part
// of the public API.
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "harness/demo/demo_data.h"
#include "harness/demo/demo_random.h"
#include "harness/demo/demo_scene.h"

namespace mmh::demo::detail {

using nlohmann::ordered_json;  // keys in the order the official files have them

// Writes files under the data root and collects the texts for the tokenizer.
class DemoWriter {
 public:
  DemoWriter(std::filesystem::path root, const DemoDataOptions& options) : root_(std::move(root)), options_(options) {}
  const DemoDataOptions& options() const { return options_; }
  // An independent random stream per purpose, so one task's draws never shift another's.
  DemoRandom random(std::string_view stream) const { return DemoRandom(options_.seed, stream); }

  void json_file(const std::string& relative, const ordered_json& doc);  // compact, as the official files
  void text_file(const std::string& relative, const std::string& content);
  void image_file(const std::string& relative, const Scene& scene);  // PNG bytes, whatever the extension
  void text(const std::string& t);                                   // a corpus text (kept once)
  void texts(const std::vector<std::string>& ts);
  void task_done(const std::string& task, std::size_t eval, std::size_t demos);
  DemoData finish() { return std::move(data_); }

 private:
  void write(const std::string& relative, const std::string& bytes);
  std::filesystem::path root_;
  DemoDataOptions options_;
  DemoData data_;
  std::unordered_set<std::string> seen_;
};

// `count` distinct integers in [low, high], none in `used` (which grows), in draw order.
std::vector<long long> unique_numbers(DemoRandom& random, std::size_t count, long long low, long long high,
                                      std::set<long long>& used);
// 16 lower-case hex digits, as Open Images and TextCaps name their images.
std::string hex_id(DemoRandom& random);

// The COCO images the Karpathy file lists, shared by nocaps (its demonstrations), vqav2 and okvqa.
struct CocoImage {
  long long id;
  std::string split;  // "val" or "train": the 2014 folder and file prefix
  Scene scene;
};
struct CocoImages {
  std::vector<CocoImage> test, train;  // Karpathy test (val2014) and train (train2014)
};
std::string coco_file_name(const CocoImage& image);  // COCO_val2014_000000391895.jpg

CocoImages write_coco(DemoWriter& out);
void write_nocaps(DemoWriter& out);
void write_textcaps(DemoWriter& out);
void write_vqa_format(DemoWriter& out, const CocoImages& coco, bool okvqa);
void write_textvqa(DemoWriter& out);
void write_vizwiz(DemoWriter& out);
void write_gqa(DemoWriter& out);
void write_mmmu(DemoWriter& out);

}  // namespace mmh::demo::detail
