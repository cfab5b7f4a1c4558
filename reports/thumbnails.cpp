#include "reports/thumbnails.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "common/error.h"
#include "model_backend/image/image.h"

namespace mmh::reports {
namespace {

// The row's first query image: {"key": ..., "path": ...}.
std::optional<std::pair<std::string, std::string>> first_image(const SampleRow& row) {
  if (!row.query.is_object() || !row.query.contains("images") || !row.query["images"].is_array() ||
      row.query["images"].empty())
    return std::nullopt;
  const auto& image = row.query["images"].front();
  if (!image.is_object()) return std::nullopt;
  const auto text = [&](const char* field) {
    return image.contains(field) && image[field].is_string() ? image[field].get<std::string>() : std::string();
  };
  if (text("path").empty() && text("key").empty()) return std::nullopt;
  return std::pair{text("key"), text("path")};
}

std::vector<std::filesystem::path> data_roots(const ReportData& data) {
  std::vector<std::filesystem::path> roots;
  for (const auto& run : data.runs) {
    const auto& s = run.detail.settings;
    if (s.is_object() && s.contains("data") && s["data"].is_object() && s["data"].contains("root") &&
        s["data"]["root"].is_string())
      roots.emplace_back(s["data"]["root"].get<std::string>());
  }
  return roots;
}

// The stored path when it is there; a relative one may have been relative to
// where the run started, so the key under each run's data root is tried next.
std::optional<std::filesystem::path> locate(const std::string& key, const std::string& stored,
                                            const std::vector<std::filesystem::path>& roots) {
  std::error_code ec;
  if (!stored.empty() && std::filesystem::is_regular_file(stored, ec)) return std::filesystem::absolute(stored, ec);
  if (!key.empty())
    for (const auto& root : roots)
      if (std::filesystem::is_regular_file(root / key, ec)) return std::filesystem::absolute(root / key, ec);
  return std::nullopt;
}

void embed_all(std::vector<Thumbnail>& thumbnails, const std::vector<std::optional<std::filesystem::path>>& files) {
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i; (i = next++) < thumbnails.size();) {
      if (!files[i]) continue;
      try {
        thumbnails[i].data_uri = "data:image/png;base64," + base64(thumbnail_png(*files[i]));
      } catch (const std::exception& e) {  // one unreadable image must not lose the page
        thumbnails[i].failure = e.what();
      }
    }
  };
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<std::thread> pool;
  for (std::size_t w = 1; w < std::min(workers, thumbnails.size()); ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace

std::string thumbnail_png(const std::filesystem::path& path, int side) {
  const image::Image full = image::decode_image_file(path);
  const double scale = std::min(1.0, static_cast<double>(side) / std::max(full.width, full.height));
  if (scale >= 1.0) return image::encode_png(full, path.string());
  const int width = std::max(1, static_cast<int>(full.width * scale + 0.5));
  const int height = std::max(1, static_cast<int>(full.height * scale + 0.5));
  return image::encode_png(image::resize(full, width, height, image::Resample::kBicubic), path.string());
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t chunk = 0;
    for (std::size_t k = 0; k < 3; ++k)
      chunk = (chunk << 8) | (k < left ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k) out += k <= left ? kAlphabet[(chunk >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

std::string relative_url(const std::filesystem::path& target, const std::filesystem::path& from_dir) {
  const std::string relative =
      std::filesystem::absolute(target).lexically_relative(std::filesystem::absolute(from_dir)).generic_string();
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : relative) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

Thumbnails::Thumbnails(const ReportData& data, ImageMode mode, const std::filesystem::path& page_dir) : mode_(mode) {
  const auto roots = data_roots(data);
  std::vector<std::optional<std::filesystem::path>> files;
  for (const auto& group : data.samples)
    for (const auto& row : group.rows) {
      const auto image = first_image(row);
      if (!image || by_stored_path_.count(image->second + '\n' + image->first)) continue;
      by_stored_path_.emplace(image->second + '\n' + image->first, thumbnails_.size());
      Thumbnail t;
      t.key = image->first.empty() ? image->second : image->first;
      t.css_class = "th-" + std::to_string(thumbnails_.size());
      files.push_back(mode == ImageMode::kNone ? std::nullopt : locate(image->first, image->second, roots));
      if (mode != ImageMode::kNone && !files.back()) t.failure = "image file not found: " + image->second;
      if (mode == ImageMode::kLink && files.back()) t.link = relative_url(*files.back(), page_dir);
      thumbnails_.push_back(std::move(t));
    }
  if (mode == ImageMode::kEmbed) embed_all(thumbnails_, files);
}

const Thumbnail* Thumbnails::of(const SampleRow& row) const {
  const auto image = first_image(row);
  if (!image) return nullptr;
  const auto it = by_stored_path_.find(image->second + '\n' + image->first);
  return it == by_stored_path_.end() ? nullptr : &thumbnails_[it->second];
}

}  // namespace mmh::reports
