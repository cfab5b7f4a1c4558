#include "model_backend/tokenizer/post_processor.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model_backend/tokenizer/pipeline.h"

namespace mmh::tokenizer {
namespace {

using nlohmann::json;

void add_template(const json& j, const std::string& where, SpecialFrame& frame) {
  const json& single = member(j, "single", where);
  const json& specials = j.contains("special_tokens") ? j["special_tokens"] : json::object();
  if (!single.is_array()) throw Error(where, "TemplateProcessing.single must be an array");
  bool seen_sequence = false;
  for (const json& item : single) {
    if (item.contains("Sequence")) {
      if (seen_sequence) throw Error(where, "TemplateProcessing.single names the sequence twice");
      seen_sequence = true;
      continue;
    }
    if (!item.contains("SpecialToken")) throw Error(where, "TemplateProcessing items must be SpecialToken or Sequence");
    const std::string name = string_member(item["SpecialToken"], "id", where);
    if (!specials.contains(name)) throw Error(where, "TemplateProcessing uses \"" + name + "\", which special_tokens lacks");
    const json& ids = member(specials[name], "ids", where);
    auto& target = seen_sequence ? frame.after : frame.before;
    for (const json& id : ids) {
      if (!id.is_number_integer()) throw Error(where, "special_tokens[\"" + name + "\"].ids must be integers");
      target.push_back(id.get<std::int32_t>());
    }
    if (!seen_sequence) frame.before_tokens.push_back(name);
  }
}

// RobertaProcessing / BertProcessing: cls A sep, each written as [token, id].
void add_cls_sep(const json& j, const std::string& where, SpecialFrame& frame) {
  const auto pair = [&](const char* key) {
    const json& p = member(j, key, where);
    if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_number_integer())
      throw Error(where, std::string(key) + " must be [token, id]");
    return std::pair{p[0].get<std::string>(), p[1].get<std::int32_t>()};
  };
  const auto [cls, cls_id] = pair("cls");
  const auto [sep, sep_id] = pair("sep");
  frame.before.push_back(cls_id);
  frame.before_tokens.push_back(cls);
  frame.after.push_back(sep_id);
}

void add_processor(const json& j, const std::string& where, SpecialFrame& frame) {
  if (j.is_null()) return;
  const std::string type = string_member(j, "type", where);
  if (type == "ByteLevel") return;  // only changes offsets
  if (type == "TemplateProcessing") return add_template(j, where, frame);
  if (type == "RobertaProcessing" || type == "BertProcessing") return add_cls_sep(j, where, frame);
  if (type == "Sequence") {
    const json& list = member(j, "processors", where);
    if (!list.is_array()) throw Error(where, "Sequence.processors must be an array");
    for (std::size_t i = 0; i < list.size(); ++i) add_processor(list[i], where + "[" + std::to_string(i) + "]", frame);
    return;
  }
  throw Error(where, "post_processor type \"" + type +
                         "\" is not supported (supported: TemplateProcessing, ByteLevel, RobertaProcessing, "
                         "BertProcessing, Sequence)");
}

}  // namespace

SpecialFrame make_special_frame(const json& j, const std::string& where) {
  SpecialFrame frame;
  add_processor(j, where, frame);
  return frame;
}

}  // namespace mmh::tokenizer
