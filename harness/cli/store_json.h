#pragma once
// JSON views of store records, as printed by `runs --json` and `show --json`.
#include <nlohmann/json.hpp>

#include "harness/store/results_store.h"

namespace mmh::cli {

nlohmann::json to_json(const store::RunSummary& run);
nlohmann::json to_json(const store::RunDetail& run);

// A metric's 95% interval as table text, "[low, high]", or "-" when it has none.
std::string format_interval(const store::Metric& metric);

}  // namespace mmh::cli

namespace mmh::cli {
// Pretty-prints JSON; text from data or models that is not valid UTF-8 is
// printed with replacement characters instead of failing the command.
void print_json(std::ostream& out, const nlohmann::json& value);
}  // namespace mmh::cli
