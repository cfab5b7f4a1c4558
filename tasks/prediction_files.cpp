// Results (prediction) files, streamed with simdjson On-Demand, then aligned
// to the samples through one flat id index.
#include "common/error.h"
#include "tasks/id_index.h"
#include "tasks/json_stream.h"
#include "tasks/official_files.h"

namespace mmh::tasks {

using namespace json_stream;

ParsedPredictions parse_predictions(const fs::path& file, const std::string& id_key, const std::string& text_key) {
  Document json(file);
  ParsedPredictions parsed;
  parsed.file = file;
  parsed.keyed = id_key.empty();
  json.read([&](simdjson::ondemand::document& doc) {
    const json_type type = doc.type();
    if (id_key.empty()) {  // {id: prediction}
      if (type != json_type::object) throw Error(file.string(), "expected a JSON object {id: prediction}");
      for (simdjson::ondemand::field field : doc.get_object()) {
        std::string id(std::string_view(field.unescaped_key()));
        const auto where = file.string() + ": prediction for id " + id;
        parsed.records.push_back({std::move(id), std::string(text(field.value(), "prediction", where))});
      }
      return;
    }
    if (type != json_type::array)
      throw Error(file.string(), "expected a JSON list of {\"" + id_key + "\", \"" + text_key + "\"} records, found " +
                                     type_name(type));
    for_each_record(doc.get_value(), file, "records", [&](value record, const std::string& where) {
      std::optional<std::string> id;
      std::optional<std::string_view> prediction;
      for_each_field(record, where, [&](auto key, value v) {
        if (key == id_key) {
          id = json_stream::id(v, id_key, where);
        } else if (key == text_key) {
          prediction = text(v, text_key, where);
        } else {
          consume(v);
        }
      });
      if (!id) missing_field(id_key, where);
      if (!prediction) missing_field(text_key, where);
      parsed.records.push_back({std::move(*id), std::string(*prediction)});
    });
  });
  return parsed;
}

std::vector<std::string> align_predictions(ParsedPredictions parsed, const std::vector<std::string>& sample_ids) {
  const IdIndex index({sample_ids.begin(), sample_ids.end()});
  std::vector<std::string> aligned(sample_ids.size());
  std::vector<char> filled(sample_ids.size(), 0);
  for (std::size_t r = 0; r < parsed.records.size(); ++r) {
    auto& [id, text] = parsed.records[r];
    const std::size_t position = index.find(id);
    if (position == IdIndex::npos)
      throw Error(parsed.file.string(), "prediction for id " + id + ", which is not in the annotations");
    if (filled[position])
      throw Error(parsed.keyed ? parsed.file.string() : record_at(parsed.file, r), "duplicate prediction for id " + id);
    filled[position] = 1;
    aligned[position] = std::move(text);
  }
  for (std::size_t i = 0; i < aligned.size(); ++i)
    if (!filled[i])
      throw Error(parsed.file.string(),
                  "no prediction for id " + sample_ids[i] + " (every annotated sample needs one)");
  return aligned;
}

std::vector<std::string> read_predictions(const fs::path& file, const std::string& id_key, const std::string& text_key,
                                          const std::vector<std::string>& sample_ids) {
  return align_predictions(parse_predictions(file, id_key, text_key), sample_ids);
}

}  // namespace mmh::tasks
