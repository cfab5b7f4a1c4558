// The data root's writer and the order the nine tasks are written in.
#include "harness/demo/demo_data.h"

#include <cstdio>
#include <fstream>

#include "common/error.h"
#include "harness/demo/demo_data_internal.h"
#include "harness/demo/demo_images.h"

namespace mmh::demo {
namespace detail {

namespace fs = std::filesystem;

void DemoWriter::write(const std::string& relative, const std::string& bytes) {
  const fs::path path = root_ / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw Error(path.parent_path().string(), "cannot create folder: " + ec.message());
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file.flush()) throw Error(path.string(), "cannot write (disk full?)");
}

void DemoWriter::json_file(const std::string& relative, const ordered_json& doc) { write(relative, doc.dump()); }

void DemoWriter::text_file(const std::string& relative, const std::string& content) { write(relative, content); }

void DemoWriter::image_file(const std::string& relative, const Scene& scene) {
  write(relative, image::encode_png(render_scene(scene), (root_ / relative).string()));
  ++data_.images;
}

void DemoWriter::text(const std::string& t) {
  if (!t.empty() && seen_.insert(t).second) data_.texts.push_back(t);
}

void DemoWriter::texts(const std::vector<std::string>& ts) {
  for (const auto& t : ts) text(t);
}

void DemoWriter::task_done(const std::string& task, std::size_t eval, std::size_t demos) {
  data_.tasks.push_back({task, eval, demos});
}

std::vector<long long> unique_numbers(DemoRandom& random, std::size_t count, long long low, long long high,
                                      std::set<long long>& used) {
  std::vector<long long> out;
  while (out.size() < count) {
    const long long n = low + static_cast<long long>(random.below(static_cast<std::uint64_t>(high - low + 1)));
    if (used.insert(n).second) out.push_back(n);
  }
  return out;
}

std::string hex_id(DemoRandom& random) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(random.next()));
  return text;
}

}  // namespace detail

DemoData write_demo_data(const std::filesystem::path& root, const DemoDataOptions& options) {
  detail::DemoWriter out(root, options);
  const detail::CocoImages coco = detail::write_coco(out);
  detail::write_nocaps(out);
  detail::write_textcaps(out);
  detail::write_vqa_format(out, coco, /*okvqa=*/false);
  detail::write_vqa_format(out, coco, /*okvqa=*/true);
  detail::write_textvqa(out);
  detail::write_vizwiz(out);
  detail::write_gqa(out);
  detail::write_mmmu(out);
  return out.finish();
}

}  // namespace mmh::demo
