#include "harness/gate/gate_output.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/utf8.h"
#include "harness/gate/gate_format.h"

namespace mmh::gate {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one UTF-8 sequence at text[i] (advancing i); invalid or overlong
// sequences, surrogates and code points past U+10FFFF decode as U+FFFD.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return kReplacement;
  }
  char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kReplacement;
  return cp;
}

// XML 1.0's Char production.
bool allowed_in_xml(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         cp >= 0x10000;
}

std::string attribute(const char* name, std::string_view value) {
  return std::string(" ") + name + "=\"" + escape_xml(value) + "\"";
}

std::string seconds_text(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", seconds < 0 ? 0.0 : seconds);
  return buf;
}

// JUnit's timestamp: ISO 8601 without a zone (Ant's schema), in UTC.
std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  return buf;
}

std::string run_text(const RunRef& run) { return "run " + std::to_string(run.id) + " (" + run.db + ")"; }

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// "4 ok, 1 regression": the verdicts that occur, mildest first.
std::string verdict_counts(const GateReport& report) {
  std::vector<std::string> parts;
  for (const auto v :
       {Verdict::kOk, Verdict::kImproved, Verdict::kRegression, Verdict::kBelowFloor, Verdict::kNotComparable})
    if (const auto n = report.count(v)) parts.push_back(std::to_string(n) + " " + to_string(v));
  return join(parts, ", ");
}

// The numbers of one row, for a JUnit failure's text and system-out.
std::string row_details(const GateRow& row, const GateOptions& options) {
  std::vector<std::string> lines;
  const std::string metric = row.metric.empty() ? "headline metric" : row.metric;
  if (row.baseline || row.candidate)
    lines.push_back(metric + " (points, stored corpus value): baseline " +
                    (row.baseline ? format_points(*row.baseline) : "-") + ", candidate " +
                    (row.candidate ? format_points(*row.candidate) : "-"));
  if (row.difference)
    lines.push_back("difference " + format_difference(row.difference->difference) + " points on " +
                    std::to_string(row.difference->n) + " shared samples, " +
                    format_level(options.bootstrap_options().level) + " paired-bootstrap interval " +
                    format_interval(row.difference->interval));
  if (row.floor) lines.push_back("floor " + format_points(*row.floor));
  lines.push_back("verdict: " + std::string(to_string(row.verdict)));
  for (const auto& reason : row.reasons) lines.push_back(reason);
  return join(lines, "\n");
}

std::string junit_testcase(const GateRow& row, const GateOptions& options) {
  const std::string classname = row.task.empty() ? "mmharness.gate" : "mmharness.gate." + row.task;
  std::string out = "    <testcase" + attribute("classname", classname) + attribute("name", row.name) + ">\n";
  if (is_failure(row.verdict))
    out += "      <failure" + attribute("type", to_string(row.verdict)) +
           attribute("message", join(row.reasons, "; ")) + ">" + escape_xml(row_details(row, options)) + "</failure>\n";
  else
    out += "      <system-out>" + escape_xml(row_details(row, options)) + "</system-out>\n";
  return out + "    </testcase>\n";
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        append_utf8(out, allowed_in_xml(cp) ? cp : kReplacement);
    }
  }
  return out;
}

std::string escape_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '`':
        out += "\\`";
        break;
      case '*':
        out += "\\*";
        break;
      case '_':
        out += "\\_";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<std::string> table_header(const GateOptions& options) {
  return {"task",
          "shots",
          "metric",
          "baseline",
          "candidate",
          "difference",
          format_level(options.bootstrap_options().level) + " interval",
          "n shared",
          "verdict"};
}

std::vector<std::string> table_cells(const GateRow& row) {
  const auto& d = row.difference;
  std::string candidate = row.candidate ? format_points(*row.candidate) : "-";
  if (row.floor) candidate += " (floor " + format_points(*row.floor) + ")";
  return {row.task.empty() ? "-" : row.task,
          row.shots_label,
          row.metric.empty() ? "-" : row.metric,
          row.baseline ? format_points(*row.baseline) : "-",
          candidate,
          d ? format_difference(d->difference) : "-",
          d ? format_interval(d->interval) : "-",
          d ? std::to_string(d->n) : "-",
          to_string(row.verdict)};
}

std::string summary_line(const GateReport& report) {
  return std::string("gate ") + (report.failed() ? "FAILED" : "passed") + ": " + std::to_string(report.rows.size()) +
         " checked: " + verdict_counts(report) + " (baseline " + run_text(report.baseline) + ", candidate " +
         run_text(report.candidate) + ")";
}

std::string method_line(const GateReport& report) {
  const auto& o = report.options;
  return "Differences are candidate - baseline in points (CIDEr x100, accuracy in %) over the samples both runs "
         "scored, with a " +
         format_level(o.bootstrap_options().level) + " paired-bootstrap interval (" + std::to_string(o.bootstrap) +
         " replicates, seed " + std::to_string(o.seed) + "). A regression is a drop larger than " +
         format_points(o.max_drop) + " points whose whole interval is below 0.";
}

std::string junit_xml(const GateReport& report, double seconds) {
  const std::string tests = std::to_string(report.rows.size()), failures = std::to_string(report.failures());
  const std::string time = seconds_text(seconds);
  const auto& o = report.options;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attribute("name", "mmharness gate") + attribute("tests", tests) +
         attribute("failures", failures) + attribute("errors", "0") + attribute("time", time) + ">\n";
  out += "  <testsuite" + attribute("name", "mmharness gate") + attribute("tests", tests) +
         attribute("failures", failures) + attribute("errors", "0") + attribute("skipped", "0") +
         attribute("time", time) + attribute("timestamp", utc_timestamp()) + ">\n";
  out += "    <properties>\n";
  const std::vector<std::pair<std::string, std::string>> properties = {
      {"baseline", run_text(report.baseline)},
      {"candidate", run_text(report.candidate)},
      {"max_drop_points", format_points(o.max_drop)},
      {"interval_level", format_level(o.bootstrap_options().level)},
      {"bootstrap_replicates", std::to_string(o.bootstrap)},
      {"bootstrap_seed", std::to_string(o.seed)}};
  for (const auto& [name, value] : properties)
    out += "      <property" + attribute("name", name) + attribute("value", value) + "/>\n";
  for (const auto& floor : o.floors)
    out += "      <property" + attribute("name", "metric_floor") + attribute("value", to_string(floor)) + "/>\n";
  out += "    </properties>\n";
  for (const auto& row : report.rows) out += junit_testcase(row, o);
  std::vector<std::string> system_out = report.notes;
  system_out.push_back(summary_line(report));
  out += "    <system-out>" + escape_xml(join(system_out, "\n")) + "</system-out>\n";
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string markdown_summary(const GateReport& report) {
  std::string out = "## mmharness gate: " + std::string(report.failed() ? "failed" : "passed") + " (" +
                    escape_markdown(verdict_counts(report)) + ")\n\n";
  out += "Candidate " + escape_markdown(run_text(report.candidate)) + " against baseline " +
         escape_markdown(run_text(report.baseline)) + ".\n\n";
  const auto header = table_header(report.options);
  std::string rule;
  for (const auto& h : header) {
    out += "| " + escape_markdown(h) + " ";
    rule += h == "task" || h == "metric" || h == "verdict" || h == "shots" ? "| --- " : "| ---: ";
  }
  out += "|\n" + rule + "|\n";
  for (const auto& row : report.rows) {
    auto cells = table_cells(row);
    for (auto& cell : cells) cell = escape_markdown(cell);
    if (is_failure(row.verdict)) cells.back() = "**" + cells.back() + "**";
    out += "| " + join(cells, " | ") + " |\n";
  }
  std::string failures;
  for (const auto& row : report.rows)
    if (is_failure(row.verdict))
      failures += "- " + escape_markdown(row.name) + " (" + to_string(row.verdict) +
                  "): " + escape_markdown(join(row.reasons, "; ")) + "\n";
  if (!failures.empty()) out += "\n**Failures**\n\n" + failures;
  if (!report.notes.empty()) {
    out += "\n**Notes**\n\n";
    for (const auto& note : report.notes) out += "- " + escape_markdown(note) + "\n";
  }
  out += "\n" + escape_markdown(method_line(report)) + "\n";
  return out;
}

}  // namespace mmh::gate
