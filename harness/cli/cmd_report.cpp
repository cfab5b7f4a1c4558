// mmharness report: one self-contained HTML page from a results database.
#include <CLI/CLI.hpp>
#include <iostream>

#include "harness/cli/app.h"
#include "reports/format.h"
#include "reports/report.h"

namespace mmh::cli {
namespace {

struct ReportCliOptions {
  std::string db = kDefaultDatabase;
  std::string out;
  std::vector<std::int64_t> runs;
  std::int64_t baseline = 0;
  std::string images = "embed";
  std::size_t max_samples = 2000;
};

void report(const ReportCliOptions& o) {
  reports::ReportOptions options;
  options.db = o.db;
  options.out = o.out;
  options.request.run_ids = o.runs;
  if (o.baseline > 0) options.request.baseline = o.baseline;
  options.request.max_samples = o.max_samples;
  options.images = o.images == "link"   ? reports::ImageMode::kLink
                   : o.images == "none" ? reports::ImageMode::kNone
                                        : reports::ImageMode::kEmbed;
  const auto s = reports::write_report(options);
  std::cout << "report " << o.out << ": " << s.runs << (s.runs == 1 ? " run, " : " runs, ") << s.columns
            << " evaluations, " << reports::format_count(static_cast<std::int64_t>(s.samples_shown)) << " of "
            << reports::format_count(static_cast<std::int64_t>(s.samples_total)) << " samples, "
            << reports::format_points(static_cast<double>(s.bytes) / (1 << 20), 1) << " MiB in "
            << reports::format_points(s.seconds, 2) << " s\n";
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportCliOptions>();
  auto* cmd = app.add_subcommand("report", "Write one self-contained HTML page: overview, charts, samples, provenance");
  cmd->add_option("--db", o->db, "Results database (SQLite)")->capture_default_str();
  cmd->add_option("--out", o->out, "The HTML file to write (replaced atomically)")->required();
  cmd->add_option("--runs", o->runs, "Run ids to show, comma-separated (default: every completed run)")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  cmd->add_option("--baseline", o->baseline, "Run id the others are compared with (paired bootstrap)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--images", o->images, "Sample images: embed (thumbnails in the page), link (relative) or none")
      ->capture_default_str()
      ->check(CLI::IsMember({"embed", "link", "none"}));
  cmd->add_option("--max-samples", o->max_samples, "Rows of the per-sample browser, over all tasks and shots")
      ->capture_default_str();
  cmd->callback([o] { report(*o); });
}

}  // namespace mmh::cli
