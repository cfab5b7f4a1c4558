#pragma once
// One self-contained HTML file: inline CSS, SVG and script, and a
// Content-Security-Policy that forbids every request (only data: images, and
// relative image links with --images link) and runs only the page's own script.
#include <ostream>
#include <string>

#include "reports/report_data.h"
#include "reports/thumbnails.h"

namespace mmh::reports {

struct PageInfo {
  std::string name;          // the file written, for error messages
  std::string generated_at;  // ISO-8601 UTC
  std::string script_nonce;  // the CSP nonce of the inline script
};

// Fresh info for a page written now (a random nonce).
PageInfo page_info(std::string name);

void write_page(std::ostream& out, const ReportData& data, const Thumbnails& thumbnails, const PageInfo& info);

}  // namespace mmh::reports
