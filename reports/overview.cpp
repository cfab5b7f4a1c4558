// The overview table: runs x (task, shots), the headline value in points with
// its interval and n, the best per column, and with a baseline each cell's
// paired difference to it.
#include <cmath>

#include "reports/format.h"
#include "reports/sections.h"
#include "reports/svg.h"

namespace mmh::reports {
namespace {

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// Consecutive columns of one task share a header cell.
void write_header(HtmlStream& page, const ReportData& data) {
  page.raw(
      "<thead><tr><th rowspan=\"2\">run</th><th rowspan=\"2\">model</th><th rowspan=\"2\">digest</th>"
      "<th rowspan=\"2\">date</th><th rowspan=\"2\">device</th>");
  for (std::size_t col = 0; col < data.columns.size();) {
    std::size_t end = col;
    while (end < data.columns.size() && data.columns[end].key.task == data.columns[col].key.task) ++end;
    page.raw("<th colspan=\"").integer(static_cast<std::int64_t>(end - col)).raw("\">");
    page.text(data.columns[col].key.task).raw("</th>");
    col = end;
  }
  page.raw("</tr><tr>");
  for (const auto& column : data.columns) {
    const std::string& task = column.key.task;
    page.raw("<th>").text(column.label.substr(std::min(column.label.size(), task.size() + 1))).raw("</th>");
  }
  page.raw("</tr></thead>\n");
}

void write_run_cells(HtmlStream& page, const ReportData& data, std::size_t r) {
  const auto& run = data.runs[r];
  const auto& s = run.detail.summary;
  page.raw("<td><span class=\"swatch\" style=\"background:").raw(run_color(r)).raw("\"></span>");
  const std::string anchor = "#run-" + std::to_string(s.id);
  page.element("a", run.label, {{"href", anchor}})
      .raw(" ")
      .element("span", "#" + std::to_string(s.id), {{"class", "muted"}});
  if (data.baseline == r) page.raw("<span class=\"tag\">baseline</span>");
  if (s.status != "completed") page.raw("<span class=\"tag bad\">").text(s.status).raw("</span>");
  page.raw("</td><td>").text(s.model.path).raw(" <span class=\"muted\">").text(s.model.dtype).raw("</span></td>");
  page.raw("<td title=\"").text(s.model.digest).raw("\"><code>").text(short_digest(s.model.digest)).raw("</code></td>");
  page.raw("<td class=\"nowrap\">").text(short_time(s.started_at)).raw("</td><td>").text(s.device).raw("</td>");
}

void write_difference(HtmlStream& page, const compare::Comparison& c) {
  if (!c.problems.empty()) {
    page.raw("<div class=\"delta problem\" title=\"").text(join(c.problems, "; ")).raw("\">not comparable</div>");
    return;
  }
  const auto& d = c.difference;
  const bool significant = d.significant();
  page.raw("<div class=\"delta ").raw(significant ? "sig " : "ns ").raw(d.difference >= 0 ? "up" : "down");
  page.raw("\" title=\"run - baseline on ")
      .text(format_count(static_cast<std::int64_t>(d.n)))
      .raw(" shared samples, paired bootstrap 95% interval")
      .raw(significant ? "; significant" : "; not significant")
      .raw("\">")
      .raw(significant ? (d.difference >= 0 ? "&#9650; " : "&#9660; ") : "&#916; ");
  page.text(format_signed(d.difference)).raw(" ").text(format_interval(d.interval.low, d.interval.high)).raw("</div>");
}

void write_cell(HtmlStream& page, const ReportData& data, std::size_t r, std::size_t col) {
  const Cell& cell = data.cells[r][col];
  if (!cell.evaluation) {
    page.raw("<td class=\"cell muted\">&ndash;</td>");
    return;
  }
  const auto& evaluation = data.runs[r].detail.evaluations[*cell.evaluation];
  page.raw(cell.best ? "<td class=\"cell best\">" : "<td class=\"cell\">");
  if (!cell.headline) {
    page.raw("<span class=\"muted\">not scored</span>");
  } else {
    const Headline& h = *cell.headline;
    page.raw("<span class=\"v\" title=\"").text(h.metric).raw("\">").text(format_points(h.value)).raw("</span>");
    if (cell.best) page.raw(" <span title=\"best in this column\">&#9733;</span>");
    page.raw("<br><span class=\"ci\">")
        .text(format_interval(h.low, h.high))
        .raw("</span> <span class=\"n\">n ")
        .text(format_count(h.n))
        .raw("</span>");
  }
  if (evaluation.status != "completed") page.raw(" <span class=\"tag bad\">").text(evaluation.status).raw("</span>");
  if (cell.vs_baseline) {
    write_difference(page, *cell.vs_baseline);
  } else if (data.baseline && *data.baseline != r) {
    page.raw("<div class=\"delta ns\">no baseline evaluation</div>");
  }
  page.raw("</td>");
}

void write_problems(HtmlStream& page, const ReportData& data) {
  bool any = false;
  for (std::size_t r = 0; r < data.runs.size(); ++r)
    for (std::size_t col = 0; col < data.columns.size(); ++col) {
      const auto& c = data.cells[r][col].vs_baseline;
      if (!c || c->problems.empty()) continue;
      if (!any) page.raw("<p class=\"note\">Not comparable with the baseline:</p><ul class=\"problems\">");
      any = true;
      page.raw("<li>")
          .text(data.runs[r].label)
          .raw(", ")
          .text(data.columns[col].label)
          .raw(": ")
          .text(join(c->problems, "; "))
          .raw("</li>");
    }
  if (any) page.raw("</ul>");
}

}  // namespace

void write_overview(HtmlStream& page, const ReportData& data) {
  page.raw(
      "<section id=\"overview\"><h2>Overview</h2>\n<p class=\"note\">The headline metric of each evaluation in "
      "points (CIDEr &times;100; VQAv2, OK-VQA, TextVQA and VizWiz accuracy as stored; GQA and MMMU accuracy "
      "&times;100) with its 95% bootstrap interval and the number of samples; &#9733; and the shaded cell mark "
      "the best run in each column.");
  if (data.baseline) {
    page.raw(" Below each value: the difference to the baseline <b>")
        .text(data.runs[*data.baseline].label)
        .raw(
            "</b> on the samples both runs scored, with its paired-bootstrap 95% interval; &#9650;/&#9660; when the "
            "interval excludes 0 (significant), &#916; otherwise.");
  }
  page.raw("</p>\n<div class=\"scroll\"><table class=\"overview\" id=\"overview-table\">");
  write_header(page, data);
  page.raw("<tbody>\n");
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    page.raw("<tr>");
    write_run_cells(page, data, r);
    for (std::size_t col = 0; col < data.columns.size(); ++col) write_cell(page, data, r, col);
    page.raw("</tr>\n");
  }
  page.raw("</tbody></table></div>\n");
  write_problems(page, data);
  page.raw("</section>\n");
}

}  // namespace mmh::reports
