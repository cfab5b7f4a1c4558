#pragma once
// `mmharness report` without the command line: read the store, write one
// self-contained HTML page, atomically.
#include <cstdint>
#include <filesystem>

#include "reports/report_data.h"
#include "reports/thumbnails.h"

namespace mmh::reports {

struct ReportOptions {
  std::filesystem::path db, out;
  ReportRequest request;
  ImageMode images = ImageMode::kEmbed;
};

struct ReportSummary {
  std::size_t runs = 0, columns = 0, samples_shown = 0, samples_total = 0, images = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;
};

// mmh::Error (exit code 2) naming the database for a missing file, an unknown
// run or no run to show, and naming --out when it cannot be written; the
// previous file at --out is then left as it was.
ReportSummary write_report(const ReportOptions& options);

}  // namespace mmh::reports
