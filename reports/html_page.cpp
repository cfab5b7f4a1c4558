#include "reports/html_page.h"

#include <chrono>
#include <ctime>
#include <random>

#include "common/build_info.h"
#include "reports/format.h"
#include "reports/sections.h"
#include "reports/text_safety.h"

namespace mmh::reports {
namespace {

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string random_nonce() {
  std::random_device device;
  std::string bytes;
  for (int i = 0; i < 16; ++i) bytes += static_cast<char>(device() & 0xff);
  return base64(bytes);
}

void write_head(HtmlStream& page, const ReportData& data, const Thumbnails& thumbnails, const PageInfo& info) {
  // No request of any kind leaves the page: no fonts, styles, scripts or images by URL
  // (--images link: relative files only), and no inline script but the page's own.
  const std::string images = thumbnails.mode() == ImageMode::kLink ? "data: 'self' file:" : "data:";
  page.raw(
          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src ")
      .raw(images)
      .raw("; style-src 'unsafe-inline'; script-src 'nonce-")
      .raw(info.script_nonce)
      .raw(
          "'; base-uri 'none'; form-action 'none'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"mmharness ")
      .text(harness_version())
      .raw("\">\n<title>mmharness report: ")
      .text(data.db.filename().string())
      .raw("</title>\n<style>")
      .raw(page_css())
      .raw("</style>\n");
  write_thumbnail_css(page, thumbnails);
  page.raw("</head>\n");
}

void write_header(HtmlStream& page, const ReportData& data, const PageInfo& info) {
  const char* dot = " \xC2\xB7 ";
  const std::size_t runs = data.runs.size();
  const std::string line = data.db.string() + dot + std::to_string(runs) + (runs == 1 ? " run" : " runs") + dot +
                           std::to_string(data.columns.size()) + " task and shot settings" + dot + "generated " +
                           info.generated_at + " by mmharness " + harness_version() + " (git " + git_revision() + ")";
  page.raw("<header><h1>mmharness report</h1>").element("div", line, {{"class", "muted"}});
  page.raw(
      "\n<nav><a href=\"#overview\">Overview</a><a href=\"#charts\">Shots</a><a href=\"#breakdowns\">Breakdowns</a>"
      "<a href=\"#samples\">Samples</a><a href=\"#runs\">Run details</a></nav></header>\n");
}

}  // namespace

PageInfo page_info(std::string name) { return {std::move(name), utc_now(), random_nonce()}; }

void write_page(std::ostream& out, const ReportData& data, const Thumbnails& thumbnails, const PageInfo& info) {
  HtmlStream page(out, info.name);
  write_head(page, data, thumbnails, info);
  page.raw("<body>\n");
  write_header(page, data, info);
  page.raw("<main>\n");
  write_overview(page, data);
  write_shot_charts(page, data);
  write_breakdown_charts(page, data);
  write_samples(page, data, thumbnails);
  write_provenance(page, data);
  page.raw(
      "</main>\n<footer>Scores are on each benchmark's official scale, shown in points. Intervals are "
      "percentile-bootstrap 95% intervals over samples.</footer>\n");
  page.raw("<script type=\"application/json\" id=\"report-data\">")
      .raw(json_for_script(script_data(data)))
      .raw("</script>\n<script nonce=\"")
      .raw(info.script_nonce)
      .raw("\">")
      .raw(page_script())
      .raw("</script>\n</body></html>\n");
  page.flush();
}

}  // namespace mmh::reports
