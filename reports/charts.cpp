// Inline SVG charts: the headline against the number of shots, one small chart
// per task with a line and interval bars per run; and each evaluation's
// breakdowns (metrics named <headline>/<group>/<value>) as grouped bars.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "reports/format.h"
#include "reports/sections.h"
#include "reports/svg.h"
#include "reports/text_safety.h"

namespace mmh::reports {
namespace {

constexpr const char* kAxisColor = "#5d6778";
constexpr const char* kGridColor = "#eaecf0";

void open_svg(HtmlStream& page, const char* css_class, double width, double height, const std::string& label) {
  const std::string w = px(width), h = px(height);
  const std::string view_box = "0 0 " + w + " " + h;
  page.tag("svg", {{"class", css_class},
                   {"width", w},
                   {"height", h},
                   {"viewBox", view_box},
                   {"role", "img"},
                   {"aria-label", label}});
}

void axis_text(HtmlStream& page, double x, double y, const char* anchor, const std::string& text, int size = 10) {
  const std::string font = std::to_string(size);
  page.tag("text", {{"x", px(x)}, {"y", px(y)}, {"text-anchor", anchor}, {"font-size", font}, {"fill", kAxisColor}})
      .text(text)
      .raw("</text>");
}

void grid_line(HtmlStream& page, double x1, double y1, double x2, double y2) {
  page.tag("line", {{"x1", px(x1)}, {"y1", px(y1)}, {"x2", px(x2)}, {"y2", px(y2)}, {"stroke", kGridColor}}, true);
}

// --- score against shots ---------------------------------------------------

struct ShotPoint {
  std::size_t run = 0;
  int shots = 0;
  Headline headline;
};

void write_interval_bar(HtmlStream& page, double x, double low, double high, const char* color) {
  // A vertical line with a 6 px cap at each end.
  const std::string d = "M" + px(x) + " " + px(low) + "V" + px(high) + "M" + px(x - 3) + " " + px(low) + "h6M" +
                        px(x - 3) + " " + px(high) + "h6";
  page.tag("path", {{"stroke", color}, {"stroke-width", "1.3"}, {"d", d}}, true);
}

void write_shot_chart(HtmlStream& page, const ReportData& data, const std::string& task,
                      const std::vector<ShotPoint>& points) {
  constexpr double kWidth = 340, kHeight = 220, kLeft = 44, kRight = 12, kTop = 10, kBottom = 36;
  std::set<int> shot_set;
  double low = 0, high = 0;
  for (const auto& p : points) {
    shot_set.insert(p.shots);
    low = std::min({low, p.headline.value, p.headline.low.value_or(p.headline.value)});
    high = std::max({high, p.headline.value, p.headline.high.value_or(p.headline.value)});
  }
  const std::vector<int> shots(shot_set.begin(), shot_set.end());
  const auto ticks = nice_ticks(low, high, 4);
  const double step = ticks[1] - ticks[0];
  const LinearScale y{ticks.front(), ticks.back(), kHeight - kBottom, kTop};
  const double plot = kWidth - kLeft - kRight;
  // Shot counts are evenly spaced (0, 4, 8, 32 read as steps, not distances).
  const auto x_of = [&](int s) {
    const auto i = std::lower_bound(shots.begin(), shots.end(), s) - shots.begin();
    return shots.size() == 1 ? kLeft + plot / 2 : kLeft + plot * (0.08 + 0.84 * i / (shots.size() - 1.0));
  };
  const std::string metric = points.front().headline.metric;
  page.raw("<figure><figcaption>").text(task).raw(": ").text(metric).raw(" (points) by shots</figcaption>");
  open_svg(page, "chart shots", kWidth, kHeight, task + " " + metric + " by number of shots");
  for (const double t : ticks) {
    grid_line(page, kLeft, y(t), kWidth - kRight, y(t));
    axis_text(page, kLeft - 4, y(t) + 3.5, "end", tick_label(t, step));
  }
  for (const int s : shots) axis_text(page, x_of(s), kHeight - kBottom + 14, "middle", std::to_string(s));
  axis_text(page, kLeft + plot / 2, kHeight - 6, "middle", "shots", 11);

  const double runs = static_cast<double>(data.runs.size());
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    std::vector<const ShotPoint*> series;
    for (const auto& p : points)
      if (p.run == r) series.push_back(&p);
    if (series.empty()) continue;
    // Runs sit a few pixels apart at each shot count, so their interval bars do not overlap.
    const double offset = (static_cast<double>(r) - (runs - 1) / 2) * 5;
    const char* color = run_color(r);
    if (series.size() > 1) {
      std::string line;
      for (const auto* p : series) line += px(x_of(p->shots) + offset) + "," + px(y(p->headline.value)) + " ";
      page.tag("polyline", {{"fill", "none"}, {"stroke-width", "2"}, {"stroke", color}, {"points", line}}, true);
    }
    for (const auto* p : series) {
      const double x = x_of(p->shots) + offset;
      const Headline& h = p->headline;
      page.raw("<g>");
      if (h.low && h.high) write_interval_bar(page, x, y(*h.low), y(*h.high), color);
      page.tag("circle", {{"r", "3.5"}, {"cx", px(x)}, {"cy", px(y(h.value))}, {"fill", color}});
      page.raw("<title>").text(data.runs[r].label).raw(", ").integer(p->shots).raw("-shot: ");
      page.text(format_points(h.value) + " " + format_interval(h.low, h.high) + ", n " + format_count(h.n));
      page.raw("</title></circle></g>");
    }
  }
  page.raw("</svg></figure>\n");
}

// --- breakdowns --------------------------------------------------------------

struct Breakdown {
  std::string group, value;
};

// "accuracy/perAnswerType/yes/no" -> {perAnswerType, yes/no}; "accuracy/binary" -> {"", binary}.
std::optional<Breakdown> parse_breakdown(const std::string& name, const std::string& headline) {
  if (name.rfind(headline + "/", 0) != 0) return std::nullopt;
  const std::string rest = name.substr(headline.size() + 1);
  const auto slash = rest.find('/');
  if (slash == std::string::npos) return Breakdown{"", rest};
  return Breakdown{rest.substr(0, slash), rest.substr(slash + 1)};
}

struct BreakdownTable {
  std::vector<std::string> values;                            // categories, in first-seen order
  std::map<std::pair<std::string, std::size_t>, double> bar;  // (value, run) -> points
};

// Horizontal bars, one band per category and one bar per run: VQAv2's 65
// question types stay readable as rows, where columns would not fit.
void write_bar_chart(HtmlStream& page, const ReportData& data, const std::string& title, const BreakdownTable& t,
                     const std::vector<std::size_t>& runs) {
  constexpr double kLabel = 190, kBars = 340, kRight = 46, kBar = 9, kGap = 8, kTop = 6, kAxis = 20;
  const double band = kBar * static_cast<double>(runs.size()) + kGap;
  const double height = kTop + band * static_cast<double>(t.values.size()) + kAxis;
  double high = 0;
  for (const auto& [key, v] : t.bar) high = std::max(high, v);
  const auto ticks = nice_ticks(0, high, 4);
  const double step = ticks[1] - ticks[0];
  const LinearScale x{0, ticks.back(), kLabel, kLabel + kBars};
  open_svg(page, "chart bars", kLabel + kBars + kRight, height, title);
  const double axis_y = height - kAxis;
  for (const double tick : ticks) {
    grid_line(page, x(tick), kTop, x(tick), axis_y);
    axis_text(page, x(tick), axis_y + 13, "middle", tick_label(tick, step));
  }
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    const double top = kTop + band * static_cast<double>(i);
    const std::string& value = t.values[i];
    page.tag(
        "text",
        {{"x", px(kLabel - 6)}, {"y", px(top + (band - kGap) / 2 + 4)}, {"text-anchor", "end"}, {"font-size", "11"}});
    page.raw("<title>").text(value).raw("</title>").text(truncate_utf8(value, 30)).raw("</text>");
    for (std::size_t k = 0; k < runs.size(); ++k) {
      const auto it = t.bar.find({value, runs[k]});
      if (it == t.bar.end()) continue;
      const double y = top + kBar * static_cast<double>(k);
      const double width = std::max(0.0, x(it->second) - kLabel);
      page.tag("rect", {{"x", px(kLabel)},
                        {"y", px(y)},
                        {"height", px(kBar - 1)},
                        {"width", px(width)},
                        {"fill", run_color(runs[k])}});
      page.raw("<title>").text(data.runs[runs[k]].label + ", " + value + ": " + format_points(it->second));
      page.raw("</title></rect>");
      page.tag("text",
               {{"x", px(x(it->second) + 3)}, {"y", px(y + kBar - 1.5)}, {"font-size", "9"}, {"fill", "#344054"}})
          .text(format_points(it->second, 1))
          .raw("</text>");
    }
  }
  page.raw("</svg>");
}

// Above this many categories a chart starts folded (VQAv2's 65 question types).
constexpr std::size_t kOpenCategories = 12;

struct ColumnBreakdowns {
  std::vector<std::string> group_order;
  std::map<std::string, BreakdownTable> groups;
  std::vector<std::size_t> runs;  // the runs with breakdowns in this column
};

ColumnBreakdowns collect_breakdowns(const ReportData& data, std::size_t col) {
  ColumnBreakdowns out;
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    const auto& cell = data.cells[r][col];
    if (!cell.evaluation || !cell.headline) continue;
    const auto& evaluation = data.runs[r].detail.evaluations[*cell.evaluation];
    const double scale = headline_scale(evaluation.spec.task);
    bool any = false;
    for (const auto& m : evaluation.metrics) {
      const auto b = parse_breakdown(m.name, cell.headline->metric);
      if (!b) continue;
      any = true;
      if (!out.groups.count(b->group)) out.group_order.push_back(b->group);
      auto& table = out.groups[b->group];
      if (std::find(table.values.begin(), table.values.end(), b->value) == table.values.end())
        table.values.push_back(b->value);
      table.bar[{b->value, r}] = m.value * scale;
    }
    if (any) out.runs.push_back(r);
  }
  return out;
}

void write_column_breakdowns(HtmlStream& page, const ReportData& data, std::size_t col,
                             const ColumnBreakdowns& breakdowns) {
  page.raw("<h4>").text(data.columns[col].label).raw("</h4><div class=\"charts\">");
  for (const auto& group : breakdowns.group_order) {
    const auto& table = breakdowns.groups.at(group);
    const std::string name = group.empty() ? "by type" : group;
    const bool folded = table.values.size() > kOpenCategories;
    page.raw(folded ? "<details><summary>" : "<figure><figcaption>").text(name);
    if (folded) page.raw(" (").integer(static_cast<std::int64_t>(table.values.size())).raw(" values)");
    page.raw(folded ? "</summary>" : "</figcaption>");
    write_bar_chart(page, data, data.columns[col].label + ": " + name, table, breakdowns.runs);
    page.raw(folded ? "</details>\n" : "</figure>\n");
  }
  page.raw("</div>\n");
}

}  // namespace

void write_run_legend(HtmlStream& page, const ReportData& data) {
  page.raw("<div class=\"legend\">");
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    page.raw("<span class=\"item\"><span class=\"swatch\" style=\"background:").raw(run_color(r)).raw("\"></span>");
    page.text(data.runs[r].label).raw("</span>");
  }
  page.raw("</div>\n");
}

void write_shot_charts(HtmlStream& page, const ReportData& data) {
  page.raw(
      "<section id=\"charts\"><h2>Score against shots</h2>\n<p class=\"note\">Headline metric in points at each "
      "number of in-context demonstrations, with 95% intervals (first trial of each setting).</p>");
  write_run_legend(page, data);
  page.raw("<div class=\"charts\">");
  std::vector<std::string> tasks;
  for (const auto& c : data.columns)
    if (std::find(tasks.begin(), tasks.end(), c.key.task) == tasks.end()) tasks.push_back(c.key.task);
  for (const auto& task : tasks) {
    std::vector<ShotPoint> points;
    std::optional<std::string> split;  // one split per chart: the task's first
    for (std::size_t col = 0; col < data.columns.size(); ++col) {
      const auto& key = data.columns[col].key;
      if (key.task != task || key.trial != 0 || (split && *split != key.split)) continue;
      split = key.split;
      for (std::size_t r = 0; r < data.runs.size(); ++r)
        if (data.cells[r][col].headline) points.push_back({r, key.shots, *data.cells[r][col].headline});
    }
    if (!points.empty()) write_shot_chart(page, data, task, points);
  }
  page.raw("</div></section>\n");
}

void write_breakdown_charts(HtmlStream& page, const ReportData& data) {
  page.raw(
      "<section id=\"breakdowns\"><h2>Breakdowns</h2>\n<p class=\"note\">The official per-group values (answer "
      "type, question type, subject, structural and semantic type, domain) in points, from the metrics table.</p>");
  write_run_legend(page, data);
  bool any = false;
  for (std::size_t first = 0; first < data.columns.size();) {
    std::size_t end = first;
    while (end < data.columns.size() && data.columns[end].key.task == data.columns[first].key.task) ++end;
    bool task_open = false;
    for (std::size_t col = first; col < end; ++col) {
      const auto breakdowns = collect_breakdowns(data, col);
      if (breakdowns.group_order.empty()) continue;
      if (!task_open) {
        page.raw("<details open class=\"task-breakdowns\"><summary><b>").text(data.columns[col].key.task);
        page.raw("</b></summary>");
      }
      task_open = any = true;
      write_column_breakdowns(page, data, col, breakdowns);
    }
    if (task_open) page.raw("</details>\n");
    first = end;
  }
  if (!any) page.raw("<p class=\"muted\">No breakdowns stored for these evaluations.</p>");
  page.raw("</section>\n");
}

}  // namespace mmh::reports
