// The per-sample browser: for each task and shot count the samples the runs
// disagree on most, with the image, the question and references, and each
// run's output, prediction, score and demonstrations. The inline script
// filters and sorts the rows; without it they are all shown.
#include <algorithm>

#include "reports/format.h"
#include "reports/sections.h"
#include "reports/svg.h"

namespace mmh::reports {
namespace {

std::string as_text(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

// Identical references are listed once with their count: VQA's ten answers
// read as "yes ×8, no ×2", a caption's five references stay five lines.
void write_references(HtmlStream& page, const nlohmann::json& truth) {
  const auto* references = member(truth, "references");
  if (!references || !references->is_array() || references->empty()) return;
  std::vector<std::pair<std::string, int>> counted;
  for (const auto& r : *references) {
    const std::string text = as_text(r);
    const auto it = std::find_if(counted.begin(), counted.end(), [&](const auto& c) { return c.first == text; });
    if (it == counted.end())
      counted.push_back({text, 1});
    else
      ++it->second;
  }
  std::stable_sort(counted.begin(), counted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  page.raw("<ul class=\"refs\" title=\"references\">");
  for (const auto& [text, count] : counted) {
    page.raw("<li>").text(text);
    if (count > 1) page.raw(" <span class=\"muted\">&times;").integer(count).raw("</span>");
    page.raw("</li>");
  }
  page.raw("</ul>");
}

void write_question(HtmlStream& page, const SampleRow& row) {
  const auto* question = member(row.query, "question");
  const std::string text = question ? as_text(*question) : "";
  if (text.empty())
    page.raw("<div class=\"muted\">(no question: caption)</div>");
  else
    page.raw("<div class=\"q\">").text(text).raw("</div>");
  if (const auto* options = member(row.ground_truth, "options"); options && options->is_array() && !options->empty()) {
    page.raw("<ol class=\"options\" type=\"A\">");
    for (const auto& o : *options) page.raw("<li>").text(as_text(o)).raw("</li>");
    page.raw("</ol>");
  }
  write_references(page, row.ground_truth);
  if (const auto* meta = member(row.ground_truth, "meta"); meta && meta->is_object() && !meta->empty()) {
    page.raw("<div class=\"meta\">");
    bool first = true;
    for (const auto& [name, value] : meta->items()) {
      page.raw(first ? "" : " &middot; ").text(name).raw(": ").text(as_text(value));
      first = false;
    }
    page.raw("</div>");
  }
}

void write_image(HtmlStream& page, const Thumbnails& thumbnails, const SampleRow& row) {
  const Thumbnail* t = thumbnails.of(row);
  if (!t) {
    page.raw("<td class=\"muted\">&ndash;</td>");
    return;
  }
  page.raw("<td>");
  if (thumbnails.mode() == ImageMode::kEmbed && !t->data_uri.empty())
    page.raw("<div class=\"thumb ")
        .raw(t->css_class)
        .raw("\" role=\"img\" aria-label=\"")
        .text(t->key)
        .raw("\"></div>");
  else if (thumbnails.mode() == ImageMode::kLink && !t->link.empty())
    page.raw("<a href=\"")
        .text(t->link)
        .raw("\"><img class=\"thumb\" loading=\"lazy\" src=\"")
        .text(t->link)
        .raw("\" alt=\"")
        .text(t->key)
        .raw("\"></a>");
  else if (!t->failure.empty())
    page.raw("<div class=\"error\" title=\"").text(t->failure).raw("\">image unavailable</div>");
  page.raw("<div class=\"imgkey\">").text(t->key).raw("</div></td>");
}

void write_answer(HtmlStream& page, const SampleAnswer& a) {
  if (!a.present) {
    page.raw("<td class=\"muted\" data-v=\"\">not scored</td>");
    return;
  }
  page.raw("<td data-v=\"").raw(a.score ? format_points(*a.score, 4) : "").raw("\">");
  page.raw("<div class=\"pred\">").text(a.prediction).raw("</div>");
  page.raw("<div class=\"score\">").raw(a.score ? format_points(*a.score) : "no score");
  if (a.cached) page.raw(" <span class=\"tag\">cached</span>");
  page.raw("</div>");
  if (a.failed) page.raw("<div class=\"error\">failed: ").text(a.error).raw("</div>");
  if (a.raw_output != a.prediction)
    page.raw("<div class=\"raw\"><span class=\"muted\">raw: </span>").text(a.raw_output).raw("</div>");
  if (!a.demo_keys.empty()) {
    page.raw("<div class=\"demos\">demos: ");
    for (std::size_t i = 0; i < a.demo_keys.size(); ++i) page.raw(i ? ", " : "").text(a.demo_keys[i]);
    page.raw("</div>");
  }
  page.raw("</td>");
}

}  // namespace

nlohmann::json script_data(const ReportData& data) {
  nlohmann::json groups = nlohmann::json::array();
  for (std::size_t g = 0; g < data.samples.size(); ++g) {
    const auto& group = data.samples[g];
    groups.push_back({{"id", g},
                      {"label", data.columns[group.column].label},
                      {"metric", group.metric},
                      {"shown", group.rows.size()},
                      {"total", group.total}});
  }
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& run : data.runs) runs.push_back({{"id", run.detail.summary.id}, {"label", run.label}});
  return {{"groups", groups}, {"runs", runs}, {"shown", data.samples_shown}, {"total", data.samples_total}};
}

void write_thumbnail_css(HtmlStream& page, const Thumbnails& thumbnails) {
  if (thumbnails.mode() != ImageMode::kEmbed) return;
  // One rule per distinct image: rows that show the same image share it.
  page.raw("<style>\n");
  for (const auto& t : thumbnails.all())
    if (!t.data_uri.empty()) page.raw(".").raw(t.css_class).raw("{background-image:url(").raw(t.data_uri).raw(")}\n");
  page.raw("</style>\n");
}

void write_samples(HtmlStream& page, const ReportData& data, const Thumbnails& thumbnails) {
  page.raw(
          "<section id=\"samples\"><h2>Samples</h2>\n<p class=\"note\">For each task and shot count, the samples "
          "whose headline score (in points) differs most across the runs, then the lowest-scoring ones. Showing ")
      .text(format_count(static_cast<std::int64_t>(data.samples_shown)))
      .raw(" of ")
      .text(format_count(static_cast<std::int64_t>(data.samples_total)))
      .raw(" samples");
  if (data.samples_shown < data.samples_total)
    page.raw("; <b>")
        .text(format_count(static_cast<std::int64_t>(data.samples_total - data.samples_shown)))
        .raw(" left out</b> (at most ")
        .text(format_count(static_cast<std::int64_t>(data.max_samples)))
        .raw(" rows: --max-samples)");
  page.raw(". Click a column header to sort.</p>\n");
  page.raw(
      "<div class=\"controls\"><label>Task <select id=\"sample-group\"><option value=\"\">all</option>"
      "</select></label><label>Search <input id=\"sample-search\" type=\"search\" "
      "placeholder=\"key, question, answer, output\"></label><span id=\"sample-count\" class=\"muted\"></span>"
      "</div>\n");
  page.raw(
      "<div class=\"scroll\"><table class=\"samples\" id=\"samples-table\"><thead><tr>"
      "<th data-sort=\"num\">task</th><th data-sort=\"text\">sample</th><th>image</th>"
      "<th>question and references</th>");
  for (std::size_t r = 0; r < data.runs.size(); ++r)
    page.raw("<th data-sort=\"num\"><span class=\"swatch\" style=\"background:")
        .raw(run_color(r))
        .raw("\"></span>")
        .text(data.runs[r].label)
        .raw("</th>");
  page.raw("<th data-sort=\"num\" title=\"max - min of the runs' scores\">spread</th></tr></thead>\n<tbody>\n");
  for (std::size_t g = 0; g < data.samples.size(); ++g) {
    const auto& group = data.samples[g];
    for (const auto& row : group.rows) {
      page.raw("<tr data-group=\"")
          .integer(static_cast<std::int64_t>(g))
          .raw("\"><td data-v=\"")
          .integer(static_cast<std::int64_t>(g))
          .raw("\">")
          .text(data.columns[group.column].label)
          .raw("</td>");
      page.raw("<td data-v=\"")
          .text(row.key)
          .raw("\">")
          .text(row.key)
          .raw("<div class=\"muted\">#")
          .integer(row.position)
          .raw("</div></td>");
      write_image(page, thumbnails, row);
      page.raw("<td>");
      write_question(page, row);
      page.raw("</td>");
      for (const auto& answer : row.answers) write_answer(page, answer);
      page.raw("<td class=\"num\" data-v=\"")
          .raw(format_points(row.spread, 4))
          .raw("\">")
          .raw(format_points(row.spread))
          .raw("</td></tr>\n");
    }
  }
  page.raw("</tbody></table></div></section>\n");
}

}  // namespace mmh::reports
