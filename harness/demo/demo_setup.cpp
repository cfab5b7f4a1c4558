#include "harness/demo/demo_setup.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "common/error.h"
#include "common/json_file.h"
#include "model_backend/io/safetensors.h"

namespace mmh::demo {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

nlohmann::json arguments_json(const DemoSetupOptions& o) {
  return {{"samples", o.samples}, {"pool", o.pool}, {"seed", o.seed}};
}

std::string arguments_text(const nlohmann::json& arguments) {
  return "--samples " + arguments.value("samples", nlohmann::json()).dump() + " --pool " +
         arguments.value("pool", nlohmann::json()).dump() + " --seed " +
         arguments.value("seed", nlohmann::json()).dump();
}

// The stamp: what was asked for (compared on the next run) and what was written (reported when up to date).
ordered_json stamp_json(const DemoSetupOptions& o, const DemoSetupResult& r) {
  ordered_json tasks = ordered_json::array();
  for (const auto& t : r.tasks) tasks.push_back({{"task", t.task}, {"eval", t.eval}, {"demos", t.demos}});
  return {{"written_by", "mmharness demo-setup"},
          {"format_version", kDemoFormatVersion},
          {"arguments", {{"samples", o.samples}, {"pool", o.pool}, {"seed", o.seed}}},
          {"tasks", tasks},
          {"images", r.images},
          {"vocab_size", r.vocab_size},
          {"image_token_id", r.image_token_id},
          {"pad_token_id", r.pad_token_id},
          {"parameters", r.parameters},
          {"model_weights", "random"}};
}

bool is_empty_folder(const fs::path& dir) {
  std::error_code ec;
  return fs::is_empty(dir, ec) && !ec;
}

// The result recorded in a stamp (a damaged one is a nlohmann::json exception, turned into an Error by the caller).
DemoSetupResult recorded_result(const nlohmann::json& stamp) {
  DemoSetupResult r;
  for (const auto& t : stamp.at("tasks"))
    r.tasks.push_back(
        {t.at("task").get<std::string>(), t.at("eval").get<std::size_t>(), t.at("demos").get<std::size_t>()});
  r.images = stamp.at("images").get<std::size_t>();
  r.vocab_size = stamp.at("vocab_size").get<std::size_t>();
  r.image_token_id = stamp.at("image_token_id").get<std::int32_t>();
  r.pad_token_id = stamp.at("pad_token_id").get<std::int32_t>();
  r.parameters = stamp.at("parameters").get<std::size_t>();
  return r;
}

// The result described by an existing stamp, when it records these arguments in this format; else an mmh::Error.
DemoSetupResult existing_demo(const fs::path& out, const DemoSetupOptions& o) {
  const fs::path stamp_file = out / kDemoStampFile;
  const std::string refuse = "is not empty; demo-setup writes only into a new or empty folder, or one it wrote itself";
  std::error_code ec;
  if (!fs::is_regular_file(stamp_file, ec)) throw Error(out.string(), refuse + " (there is no " + kDemoStampFile + ")");
  nlohmann::json stamp;
  try {
    stamp = read_json_file(stamp_file);
  } catch (const Error& e) {
    throw Error(out.string(), refuse + " (" + e.what() + ")");
  }
  DemoSetupResult r;
  try {
    if (!stamp.is_object() || stamp.value("written_by", "") != "mmharness demo-setup")
      throw Error(stamp_file.string(), "was not written by mmharness demo-setup; refusing to touch " + out.string());
    const nlohmann::json arguments = stamp.value("arguments", nlohmann::json::object());
    if (stamp.value("format_version", nlohmann::json()) != kDemoFormatVersion || arguments != arguments_json(o))
      throw Error(out.string(), "holds a demo written with other arguments (" + arguments_text(arguments) +
                                    ", format " + stamp.value("format_version", nlohmann::json()).dump() +
                                    "); remove it or choose another --out to write " +
                                    arguments_text(arguments_json(o)));
    r = recorded_result(stamp);
  } catch (const nlohmann::json::exception& e) {
    throw Error(stamp_file.string(), std::string("is damaged (") + e.what() + "); remove " + out.string() +
                                         " and run demo-setup again");
  }
  for (const char* part : {"data", "model"})
    if (!fs::is_directory(out / part, ec))
      throw Error((out / part).string(), std::string("missing from a demo folder (") + kDemoStampFile +
                                             " is there); remove " + out.string() + " and run demo-setup again");
  r.up_to_date = true;
  return r;
}

std::size_t count_parameters(const fs::path& model_dir) {
  const auto file = weights::SafetensorsFile::open(model_dir / "model.safetensors");
  std::size_t n = 0;
  for (const auto& t : file->tensors()) n += static_cast<std::size_t>(t.numel());
  return n;
}

// Everything, written into `dir` (a fresh folder).
DemoSetupResult write_demo(const fs::path& dir, const DemoSetupOptions& o) {
  DemoSetupResult r;
  const DemoDataOptions data_options{static_cast<std::size_t>(o.samples), static_cast<std::size_t>(o.pool), o.seed};
  const DemoData data = write_demo_data(dir / "data", data_options);
  r.tasks = data.tasks;
  r.images = data.images;

  // The tokenizer is written aside and copied in by write_random_llava, which wants a folder to copy from.
  const fs::path tokenizer_dir = dir / "tokenizer";
  const DemoTokenizerInfo tokenizer = write_demo_tokenizer(tokenizer_dir, tokenizer_corpus(data.texts));
  weights::RandomLlavaSpec spec = demo_model_spec(tokenizer, o.seed);
  spec.tokenizer_from = tokenizer_dir;
  weights::write_random_llava(dir / "model", spec);
  fs::remove_all(tokenizer_dir);
  r.vocab_size = tokenizer.vocab_size;
  r.image_token_id = tokenizer.image_id;
  r.pad_token_id = tokenizer.pad_id;
  r.parameters = count_parameters(dir / "model");

  std::ofstream stamp(dir / kDemoStampFile, std::ios::binary | std::ios::trunc);
  stamp << stamp_json(o, r).dump(2) << "\n";
  if (!stamp.flush()) throw Error((dir / kDemoStampFile).string(), "cannot write");
  return r;
}

// Built beside the target and renamed into place: an interrupted run leaves no half-written demo behind.
DemoSetupResult write_staged(const fs::path& out, const DemoSetupOptions& options) {
  std::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  if (ec) throw Error(out.parent_path().string(), "cannot create folder: " + ec.message());
  std::string staging_name = ".";
  staging_name += out.filename().string() + ".partial-" + std::to_string(::getpid());
  const fs::path staging = out.parent_path() / staging_name;
  fs::remove_all(staging, ec);
  try {
    fs::create_directory(staging);
    DemoSetupResult r = write_demo(staging, options);
    fs::rename(staging, out);  // replaces an empty folder
    return r;
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(staging, ec);
    throw Error(e.path1().empty() ? out.string() : e.path1().string(), e.code().message());
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
}

}  // namespace

void validate_demo_options(const DemoSetupOptions& o) {
  if (o.out.empty()) throw Error("--out", "is required: the folder to write the demo data and model into");
  if (o.samples < 1 || o.samples > kMaxDemoSamples)
    throw Error("--samples", std::to_string(o.samples) + " is out of range: 1 to " + std::to_string(kMaxDemoSamples) +
                                 " samples per task");
  if (o.pool < kMinDemoPool || o.pool > kMaxDemoSamples)
    throw Error("--pool", std::to_string(o.pool) + " is out of range: " + std::to_string(kMinDemoPool) + " (so that " +
                              "8-shot prompts work) to " + std::to_string(kMaxDemoSamples) +
                              " demonstrations per task");
}

weights::RandomLlavaSpec demo_model_spec(const DemoTokenizerInfo& tokenizer, std::uint64_t seed) {
  weights::RandomLlavaSpec spec;
  spec.vocab_size = static_cast<int>(tokenizer.vocab_size);
  spec.image_token_index = tokenizer.image_id;
  spec.pad_token_id = tokenizer.pad_id;
  spec.max_positions = 2048;
  spec.seed = seed;
  return spec;
}

DemoSetupResult demo_setup(const DemoSetupOptions& options) {
  validate_demo_options(options);
  fs::path out = fs::absolute(options.out).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();  // "/tmp/x/" names /tmp/x
  std::error_code ec;
  const bool exists = fs::exists(out, ec);
  if (exists && !fs::is_directory(out, ec)) throw Error(out.string(), "exists and is not a folder");
  DemoSetupResult r = exists && !is_empty_folder(out) ? existing_demo(out, options) : write_staged(out, options);
  r.out = out;
  r.data_root = out / "data";
  r.model_dir = out / "model";
  return r;
}

}  // namespace mmh::demo
