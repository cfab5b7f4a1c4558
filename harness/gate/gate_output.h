#pragma once
// What the gate writes: the table's cells, the one-line summary, JUnit XML
// for CI test reports, and Markdown for a PR comment or GitHub job summary.
// Task names, metric names and messages come from a database: every one is
// escaped for the format it lands in.
#include <string>
#include <string_view>
#include <vector>

#include "harness/gate/gate.h"

namespace mmh::gate {

// The columns of the gate's table, on the terminal and in Markdown.
std::vector<std::string> table_header(const GateOptions& options);
std::vector<std::string> table_cells(const GateRow& row);

// "gate passed: 6 compared: 4 ok, 2 improved (baseline run 1, candidate run 2)"
std::string summary_line(const GateReport& report);
// How the numbers were made: units, bootstrap, the rule for a regression.
std::string method_line(const GateReport& report);

// One <testsuite name="mmharness gate">, one <testcase> per row, a <failure>
// with the numbers for each failed row; `seconds` is the gate's wall time.
std::string junit_xml(const GateReport& report, double seconds);
std::string markdown_summary(const GateReport& report);

// & < > " ' as entities, tab / newline / carriage return as character
// references (kept through attribute normalisation), and what XML 1.0 cannot
// hold (other control characters, invalid UTF-8) as U+FFFD.
std::string escape_xml(std::string_view text);
// For a Markdown table cell: | escaped, HTML-significant characters as entities, line breaks as spaces.
std::string escape_markdown(std::string_view text);

}  // namespace mmh::gate
