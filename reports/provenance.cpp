// Run details: everything a run recorded about how it was made, so a number
// on the page can be traced to its model, data, settings and command.
#include "reports/format.h"
#include "reports/sections.h"
#include "reports/svg.h"

namespace mmh::reports {
namespace {

std::string pretty(const nlohmann::json& value) {
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The command as it could be typed again: arguments with shell metacharacters single-quoted.
std::string shell_line(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (const char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

void row(HtmlStream& page, const char* name, const std::string& value) {
  page.raw("<tr><th>").raw(name).raw("</th><td>").text(value).raw("</td></tr>");
}

void write_evaluations(HtmlStream& page, const store::RunDetail& run) {
  page.raw(
      "<table class=\"evaluations\"><thead><tr><th>task</th><th>split</th><th>shots</th><th>trial</th>"
      "<th>template</th><th>template hash</th><th>post-processing</th><th>status</th><th>samples</th>"
      "<th>failed</th><th>cached</th><th>wall time</th></tr></thead><tbody>");
  for (const auto& e : run.evaluations) {
    page.raw("<tr>");
    for (const auto* text : {&e.spec.task, &e.spec.split}) page.element("td", *text);
    page.element("td", std::to_string(e.spec.shots), {{"class", "num"}});
    page.element("td", std::to_string(e.spec.trial), {{"class", "num"}});
    page.element("td", e.spec.template_id);
    page.raw("<td>").element("code", e.spec.template_hash).raw("</td>");
    page.element("td", e.spec.postprocess).element("td", e.status);
    page.element("td", format_count(e.samples_done) + " / " + format_count(e.spec.sample_count), {{"class", "num"}});
    page.element("td", format_count(e.samples_failed), {{"class", "num"}});
    page.element("td", format_count(e.samples_cached), {{"class", "num"}});
    page.element("td", e.wall_seconds ? format_points(*e.wall_seconds, 1) + " s" : "-", {{"class", "num"}});
    page.raw("</tr>");
  }
  page.raw("</tbody></table>");
}

}  // namespace

void write_provenance(HtmlStream& page, const ReportData& data) {
  page.raw("<section id=\"runs\"><h2>Run details</h2>\n");
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    const auto& run = data.runs[r].detail;
    const auto& s = run.summary;
    page.raw("<details class=\"run-details\" id=\"run-")
        .integer(s.id)
        .raw(
            "\"><summary><span class=\"swatch\" "
            "style=\"background:")
        .raw(run_color(r))
        .raw("\"></span><b>")
        .text(data.runs[r].label)
        .raw("</b> <span class=\"muted\">run ")
        .integer(s.id)
        .raw(" &middot; ")
        .text(s.status)
        .raw(" &middot; ")
        .text(s.model.path)
        .raw(" &middot; ")
        .text(short_time(s.started_at))
        .raw("</span></summary>\n<table class=\"kv\">");
    row(page, "run", std::to_string(s.id) + (s.name ? " (" + *s.name + ")" : ""));
    row(page, "status", s.status);
    row(page, "started", s.started_at);
    row(page, "ended", s.ended_at.value_or("-"));
    row(page, "model", s.model.path);
    row(page, "family / dtype", s.model.family + " / " + s.model.dtype);
    row(page, "model digest", s.model.digest);
    row(page, "device", s.device);
    row(page, "host", s.host);
    row(page, "harness", s.harness_version + " (git " + s.git_revision + ")");
    row(page, "fingerprint", s.fingerprint);
    row(page, "shard", std::to_string(s.shard_index) + " of " + std::to_string(s.shard_count));
    page.raw("<tr><th>command</th><td><pre>").text(shell_line(run.argv)).raw("</pre></td></tr>");
    page.raw("<tr><th>seeds</th><td><pre>").text(pretty(run.seeds)).raw("</pre></td></tr></table>\n");
    page.raw("<h4>Evaluations</h4>");
    write_evaluations(page, run);
    page.raw("\n<details><summary>settings</summary><pre>").text(pretty(run.settings)).raw("</pre></details>");
    page.raw("</details>\n");
  }
  page.raw("</section>\n");
}

}  // namespace mmh::reports
