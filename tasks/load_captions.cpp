// Caption tasks: COCO (Karpathy split), NoCaps, TextCaps. Formats:
// ../shared/refdata/metrics/datasets_spec.md sections 1-3 and docs/tasks.md.
#include <optional>
#include <unordered_map>

#include "common/error.h"
#include "tasks/json_stream.h"
#include "tasks/loaders.h"

namespace mmh::tasks::loaders {
namespace {

using namespace json_stream;

void require_captions(const TaskSample& s, const std::string& where) {
  if (s.references.empty()) throw Error(where, "has no reference captions");
  for (const auto& caption : s.references)
    if (trimmed(caption).empty()) throw Error(where, "has an empty reference caption");
}

}  // namespace

SplitData coco_karpathy(const DataRoot& root, const std::string& split) {
  SplitData out{split, {root.resolve("coco/dataset_coco.json")}, {}, 0, ""};
  const fs::path& file = out.files.front();
  Document json(file);
  for_each_listed(json, "images", [&](value record, const std::string& where) {
    TaskSample s;
    std::optional<std::string> folder, name, record_split;
    for_each_field(record, where, [&](auto field, value fv) {
      if (field == "split") record_split = std::string(text(fv, "split", where));
      else if (field == "filepath") folder = std::string(text(fv, "filepath", where));
      else if (field == "filename") name = std::string(text(fv, "filename", where));
      else if (field == "cocoid") s.key = id(fv, "cocoid", where);
      else if (field == "sentences") {
        for_each_record(fv, file, "sentences", [&](value sentence, const std::string&) {
          for_each_field(sentence, where + " sentences", [&](auto k, value sv) {
            if (k == "raw") s.references.emplace_back(text(sv, "raw", where));
            else consume(sv);
          });
        });
      } else consume(fv);
    });
    if (!record_split) missing_field("split", where);
    if (*record_split != split) return;
    if (!folder) missing_field("filepath", where);
    if (!name) missing_field("filename", where);
    if (s.key.empty()) missing_field("cocoid", where);
    require_captions(s, where);
    s.images.push_back(image_at(root, "coco/" + *folder + "/" + *name));
    s.demo_answer = trimmed(s.references.front());
    out.samples.push_back(std::move(s));
  });
  if (out.samples.empty()) throw Error(file.string(), "has no images in the Karpathy \"" + split + "\" split");
  return out;
}

SplitData nocaps(const DataRoot& root) {
  SplitData out{"val", {root.resolve("nocaps/nocaps_val_4500_captions.json")}, {}, 0, ""};
  const fs::path& file = out.files.front();
  Document json(file);
  std::unordered_map<std::string, std::size_t> by_id;
  std::vector<std::pair<std::string, std::string>> captions;  // (image id, caption), read before or after images
  std::vector<std::string> caption_where;
  json.read([&](auto& doc) {
    for_each_field(top_value(json, doc, "an object"), file.string(), [&](auto key, value v) {
      if (key == "images") {
        for_each_record(v, file, "images", [&](value record, const std::string& where) {
          TaskSample s;
          std::optional<std::string> name;
          for_each_field(record, where, [&](auto field, value fv) {
            if (field == "id") s.key = id(fv, "id", where);
            else if (field == "file_name") name = std::string(text(fv, "file_name", where));
            else if (field == "domain") s.meta["domain"] = std::string(text(fv, "domain", where));
            else consume(fv);
          });
          if (s.key.empty()) missing_field("id", where);
          if (!name) missing_field("file_name", where);
          if (!by_id.emplace(s.key, out.samples.size()).second) throw Error(where, "duplicate image id " + s.key);
          s.images.push_back(image_at(root, "nocaps/validation/" + *name));
          out.samples.push_back(std::move(s));
        });
      } else if (key == "annotations") {
        for_each_record(v, file, "annotations", [&](value record, const std::string& where) {
          std::optional<std::string> image, caption;
          for_each_field(record, where, [&](auto field, value fv) {
            if (field == "image_id") image = id(fv, "image_id", where);
            else if (field == "caption") caption = std::string(text(fv, "caption", where));
            else consume(fv);
          });
          if (!image) missing_field("image_id", where);
          if (!caption) missing_field("caption", where);
          captions.emplace_back(std::move(*image), std::move(*caption));
          caption_where.push_back(where);
        });
      } else {
        consume(v);
      }
    });
  });
  for (std::size_t i = 0; i < captions.size(); ++i) {
    auto it = by_id.find(captions[i].first);
    if (it == by_id.end()) throw Error(caption_where[i], "caption for image id " + captions[i].first + ", which is not in \"images\"");
    out.samples[it->second].references.push_back(std::move(captions[i].second));
  }
  for (std::size_t i = 0; i < out.samples.size(); ++i) {
    require_captions(out.samples[i], record_at(file, i) + " (image id " + out.samples[i].key + ")");
    out.samples[i].demo_answer = trimmed(out.samples[i].references.front());
  }
  return out;
}

SplitData textcaps(const DataRoot& root, const std::string& split) {
  SplitData out{split, {root.resolve("textcaps/TextCaps_0.1_" + split + ".json")}, {}, 0, ""};
  const fs::path& file = out.files.front();
  Document json(file);
  std::unordered_map<std::string, std::size_t> by_id;
  for_each_listed(json, "data", [&](value record, const std::string& where) {
    TaskSample s;
    std::optional<std::string> caption;
    for_each_field(record, where, [&](auto field, value fv) {
      if (field == "image_id") s.key = id(fv, "image_id", where);
      else if (field == "reference_strs") s.references = string_list(fv, "reference_strs", where);
      else if (field == "caption_str") caption = std::string(text(fv, "caption_str", where));
      else consume(fv);
    });
    if (s.key.empty()) missing_field("image_id", where);
    // One record per caption: the first record of an image makes its sample.
    auto [it, fresh] = by_id.emplace(s.key, out.samples.size());
    if (!fresh) return;
    if (s.references.empty() && caption) s.references.push_back(*caption);
    require_captions(s, where);
    s.images.push_back(image_at(root, "textcaps/train_images/" + s.key + ".jpg"));
    s.demo_answer = trimmed(caption ? *caption : s.references.front());
    out.samples.push_back(std::move(s));
  });
  if (out.samples.empty()) throw Error(file.string(), "has no TextCaps records");
  return out;
}

}  // namespace mmh::tasks::loaders
