#pragma once
// The page's parts, each written straight to the stream (html_page.cpp puts
// them together). Every string from the store goes through HtmlStream::text.
#include <nlohmann/json.hpp>
#include <string_view>

#include "reports/html_stream.h"
#include "reports/report_data.h"
#include "reports/thumbnails.h"

namespace mmh::reports {

void write_overview(HtmlStream& page, const ReportData& data);     // overview.cpp
void write_shot_charts(HtmlStream& page, const ReportData& data);  // charts.cpp
void write_breakdown_charts(HtmlStream& page, const ReportData& data);
void write_samples(HtmlStream& page, const ReportData& data, const Thumbnails& thumbnails);  // samples_section.cpp
void write_thumbnail_css(HtmlStream& page, const Thumbnails& thumbnails);
void write_provenance(HtmlStream& page, const ReportData& data);  // provenance.cpp

// What the inline script reads: the sample groups for the filter (samples_section.cpp).
nlohmann::json script_data(const ReportData& data);

// The legend of run colours the charts share.
void write_run_legend(HtmlStream& page, const ReportData& data);

std::string_view page_css();  // page_assets.cpp
std::string_view page_script();

}  // namespace mmh::reports
