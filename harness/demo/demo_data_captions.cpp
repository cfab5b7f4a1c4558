// Caption tasks in their official formats: COCO's Karpathy dataset_coco.json,
// NoCaps' nocaps_val_4500_captions.json, TextCaps_0.1_{train,val}.json.
#include <cstdio>

#include "harness/demo/demo_captions.h"
#include "harness/demo/demo_data_internal.h"

namespace mmh::demo::detail {
namespace {

ordered_json token_list(const std::string& caption) { return caption_tokens(caption); }

}  // namespace

std::string coco_file_name(const CocoImage& image) {
  char name[64];
  std::snprintf(name, sizeof name, "COCO_%s2014_%012lld.jpg", image.split.c_str(), image.id);
  return name;
}

CocoImages write_coco(DemoWriter& out) {
  DemoRandom random = out.random("coco");
  const std::size_t n = out.options().samples, m = out.options().pool;
  std::set<long long> used;
  CocoImages coco;
  for (long long id : unique_numbers(random, n, 1, 581929, used))
    coco.test.push_back({id, "val", draw_scene(random, {})});
  for (long long id : unique_numbers(random, m, 1, 581929, used))
    coco.train.push_back({id, "train", draw_scene(random, {})});

  ordered_json images = ordered_json::array();
  long long imgid = 0, sentid = 0;
  for (const auto* list : {&coco.test, &coco.train}) {
    for (const CocoImage& image : *list) {
      ordered_json sentences = ordered_json::array(), sentids = ordered_json::array();
      const auto captions = write_captions(image.scene, 5, random);
      out.texts(captions);
      for (const auto& caption : captions) {
        sentences.push_back({{"tokens", token_list(caption)}, {"raw", caption}, {"imgid", imgid}, {"sentid", sentid}});
        sentids.push_back(sentid++);
      }
      const std::string folder = image.split + "2014", file = coco_file_name(image);
      images.push_back({{"filepath", folder},
                        {"sentids", sentids},
                        {"filename", file},
                        {"imgid", imgid++},
                        {"split", image.split == "val" ? "test" : "train"},
                        {"sentences", sentences},
                        {"cocoid", image.id}});
      out.image_file("coco/" + folder + "/" + file, image.scene);
    }
  }
  out.json_file("coco/dataset_coco.json", {{"images", images}, {"dataset", "coco"}});
  out.task_done("coco", n, m);
  return coco;
}

void write_nocaps(DemoWriter& out) {
  DemoRandom random = out.random("nocaps");
  static const char* domains[] = {"in-domain", "near-domain", "out-domain"};
  ordered_json images = ordered_json::array(), annotations = ordered_json::array();
  long long caption_id = 0;
  for (std::size_t i = 0; i < out.options().samples; ++i) {
    const Scene scene = draw_scene(random, {});
    const std::string open_images_id = hex_id(random), file = open_images_id + ".jpg";
    images.push_back({{"id", i},
                      {"file_name", file},
                      {"open_images_id", open_images_id},
                      {"height", scene.height},
                      {"width", scene.width},
                      {"domain", domains[random.below(3)]}});
    const auto captions = write_captions(scene, 10, random);
    out.texts(captions);
    for (const auto& caption : captions)
      annotations.push_back({{"image_id", i}, {"id", caption_id++}, {"caption", caption}});
    out.image_file("nocaps/validation/" + file, scene);
  }
  out.json_file("nocaps/nocaps_val_4500_captions.json",
                {{"licenses", ordered_json::array()},
                 {"info", {{"description", "nocaps validation (demo: synthetic shapes)"}, {"version", "0.1"}}},
                 {"images", images},
                 {"annotations", annotations}});
  // Demonstrations come from COCO's Karpathy train split (the catalog's coco:train).
  out.task_done("nocaps", out.options().samples, out.options().pool);
}

void write_textcaps(DemoWriter& out) {
  DemoRandom random = out.random("textcaps");
  for (const auto& [split, count] : {std::pair<std::string, std::size_t>{"train", out.options().pool},
                                     {"val", out.options().samples}}) {
    ordered_json data = ordered_json::array();
    for (std::size_t i = 0; i < count; ++i) {
      const Scene scene = draw_scene(random, {.sign_with_number = true});
      const std::string image_id = hex_id(random);
      const auto captions = write_captions(scene, 5, random);
      out.texts(captions);
      ordered_json reference_tokens = ordered_json::array();
      for (const auto& c : captions) reference_tokens.push_back(token_list(c));
      // One record per caption, each listing all the image's captions, as the official files do.
      for (std::size_t c = 0; c < captions.size(); ++c)
        data.push_back({{"image_id", image_id},
                        {"image_classes", {"Sign", "Number"}},
                        {"image_width", scene.width},
                        {"image_height", scene.height},
                        {"set_name", split},
                        {"image_name", image_id},
                        {"image_path", "train/" + image_id + ".jpg"},
                        {"caption_id", i * captions.size() + c},
                        {"caption_str", captions[c]},
                        {"caption_tokens", token_list(captions[c])},
                        {"reference_strs", captions},
                        {"reference_tokens", reference_tokens}});
      // Official TextCaps keeps train and val images together in train_images/.
      out.image_file("textcaps/train_images/" + image_id + ".jpg", scene);
    }
    out.json_file("textcaps/TextCaps_0.1_" + split + ".json",
                  {{"dataset_type", split}, {"dataset_name", "textcaps"}, {"dataset_version", "0.1"}, {"data", data}});
  }
  out.task_done("textcaps", out.options().samples, out.options().pool);
}

}  // namespace mmh::demo::detail
