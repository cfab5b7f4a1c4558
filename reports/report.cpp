#include "reports/report.h"

#include <chrono>

#include "common/atomic_file.h"
#include "reports/html_page.h"

namespace mmh::reports {

ReportSummary write_report(const ReportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto store = store::ResultsStore::open(options.db, store::ResultsStore::OpenMode::kExisting);
  AtomicFile out(options.out);  // before the long part: an unwritable --out fails at once
  const ReportData data = load_report_data(store, options.request);
  const auto page_dir = std::filesystem::absolute(options.out).parent_path();
  const Thumbnails thumbnails(data, options.images, page_dir);
  write_page(out.stream(), data, thumbnails, page_info(options.out.string()));
  out.commit();

  ReportSummary summary;
  summary.runs = data.runs.size();
  summary.columns = data.columns.size();
  summary.samples_shown = data.samples_shown;
  summary.samples_total = data.samples_total;
  summary.images = thumbnails.all().size();
  std::error_code ec;
  summary.bytes = std::filesystem::file_size(options.out, ec);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace mmh::reports
