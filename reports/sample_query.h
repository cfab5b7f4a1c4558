#pragma once
// The two reads the per-sample browser needs, straight from the samples table.
// ResultsStore::samples parses every JSON column of every row (a full VQAv2
// run is 214k rows with ten answers each); choosing the rows to show needs one
// number per row, and only the few rows shown need everything.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/store/results_store.h"

namespace mmh::sql {
class Database;
class Statement;
}  // namespace mmh::sql

namespace mmh::reports {

struct KeyedScore {
  std::string key;
  std::int64_t position = 0;
  std::optional<double> score;  // the sample's stored value of the metric (not scaled)
};

class SampleQuery {
 public:
  // A second, read-only use of a database the caller opened through ResultsStore (validated, migrated).
  explicit SampleQuery(const std::filesystem::path& db);
  ~SampleQuery();
  SampleQuery(const SampleQuery&) = delete;
  SampleQuery& operator=(const SampleQuery&) = delete;

  // Every sample of the evaluation with its per-sample value of `metric`.
  std::vector<KeyedScore> scores(std::int64_t evaluation_id, const std::string& metric);
  // One stored sample in full (response_key, prompt_hash and latency left empty);
  // a JSON column that does not parse reads as an empty value, not an error: a
  // report shows what is there.
  std::optional<store::SampleResult> sample(std::int64_t evaluation_id, const std::string& key);

 private:
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<sql::Statement> sample_;
};

}  // namespace mmh::reports
