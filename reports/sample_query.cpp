#include "reports/sample_query.h"

#include "common/error.h"
#include "harness/store/sqlite.h"

namespace mmh::reports {
namespace {

// A JSON path naming one member: $."CIDEr". Metric names are this program's own
// identifiers; one that a path cannot quote is refused rather than misread.
std::string member_path(const std::string& metric, const std::filesystem::path& db) {
  if (metric.find_first_of("\"\\") != std::string::npos)
    throw Error(db.string(), "metric name '" + metric + "' cannot be read from per-sample scores");
  return "$.\"" + metric + "\"";
}

nlohmann::json parse_or(const std::string& text, nlohmann::json fallback) {
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? fallback : value;
}

}  // namespace

SampleQuery::SampleQuery(const std::filesystem::path& db)
    : db_(std::make_unique<sql::Database>(db, sql::Database::OpenMode::kExisting)),
      sample_(std::make_unique<sql::Statement>(
          *db_,
          "SELECT sample_key, demo_keys, raw_output, prediction, scores, coalesce(position, id), ground_truth, "
          "status, error, cached, query FROM samples WHERE evaluation_id = ?1 AND sample_key = ?2")) {}

SampleQuery::~SampleQuery() = default;

std::vector<KeyedScore> SampleQuery::scores(std::int64_t evaluation_id, const std::string& metric) {
  sql::Statement st(*db_,
                    "SELECT sample_key, coalesce(position, id), "
                    "CASE WHEN json_type(scores, ?2) IN ('integer', 'real') THEN json_extract(scores, ?2) END "
                    "FROM samples WHERE evaluation_id = ?1 ORDER BY coalesce(position, id), id");
  st.bind(1, evaluation_id).bind(2, member_path(metric, db_->path()));
  std::vector<KeyedScore> out;
  while (st.step()) out.push_back({st.get_text(0), st.get_int(1), st.get_optional_double(2)});
  return out;
}

std::optional<store::SampleResult> SampleQuery::sample(std::int64_t evaluation_id, const std::string& key) {
  sample_->reset();
  sample_->bind(1, evaluation_id).bind(2, key);
  if (!sample_->step()) return std::nullopt;
  store::SampleResult s;
  s.key = sample_->get_text(0);
  const auto demos = parse_or(sample_->get_text(1), nlohmann::json::array());
  if (demos.is_array())
    for (const auto& d : demos) s.demo_keys.push_back(d.is_string() ? d.get<std::string>() : d.dump());
  s.raw_output = sample_->get_text(2);
  s.prediction = sample_->get_text(3);
  s.scores = parse_or(sample_->get_text(4), nlohmann::json::object());
  s.position = sample_->get_int(5);
  s.ground_truth = parse_or(sample_->get_text(6), nlohmann::json::object());
  s.failed = sample_->get_text(7) == "failed";
  s.error = sample_->get_text(8);
  s.cached = sample_->get_int(9) != 0;
  s.query = parse_or(sample_->get_text(10), nlohmann::json::object());
  return s;
}

}  // namespace mmh::reports
