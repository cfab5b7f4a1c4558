#pragma once
// The per-sample browser's images. --images embed: each distinct image once,
// decoded, shrunk to fit 96 px and re-encoded as PNG (mmh_image), as a data
// URI in a CSS class that every row showing it uses; link: a relative URL from
// the page's folder; none: only the image's key.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "reports/report_data.h"

namespace mmh::reports {

enum class ImageMode { kEmbed, kLink, kNone };

inline constexpr int kThumbnailSide = 96;

// PNG bytes of the image at `path`, scaled down (never up) to fit side x side,
// aspect kept. mmh::Error naming the file when it cannot be read or decoded.
std::string thumbnail_png(const std::filesystem::path& path, int side = kThumbnailSide);
std::string base64(std::string_view bytes);
// A relative URL for an <img src>: each byte outside [A-Za-z0-9-._~/] percent-encoded.
std::string relative_url(const std::filesystem::path& target, const std::filesystem::path& from_dir);

struct Thumbnail {
  std::string key;        // the image's key (relative to the data root), shown under it
  std::string css_class;  // embed: "th-12"
  std::string data_uri;   // embed: "data:image/png;base64,..."
  std::string link;       // link: the relative URL
  std::string failure;    // why the image could not be shown
};

class Thumbnails {
 public:
  // Finds each row's first query image (as stored, else under a run's data
  // root) and, for embed, makes the distinct thumbnails on all cores.
  Thumbnails(const ReportData& data, ImageMode mode, const std::filesystem::path& page_dir);

  ImageMode mode() const { return mode_; }
  // nullptr when the sample has no image.
  const Thumbnail* of(const SampleRow& row) const;
  const std::vector<Thumbnail>& all() const { return thumbnails_; }

 private:
  ImageMode mode_;
  std::vector<Thumbnail> thumbnails_;
  std::unordered_map<std::string, std::size_t> by_stored_path_;
};

}  // namespace mmh::reports
