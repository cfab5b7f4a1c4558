#pragma once
// The results schema as an ordered list of forward migrations. The schema
// version lives in PRAGMA user_version; opening a database applies every
// migration above it, each in its own transaction. docs/results-schema.md
// documents the latest version (tests/store_schema_doc_test checks it).
#include <span>

namespace mmh::sql {
class Database;
}

namespace mmh::store {

struct Migration {
  int version;              // user_version after this step: 1, 2, ...
  const char* description;  // shown when a migration fails
  const char* sql;
};

// The migrations this build knows, oldest first.
std::span<const Migration> schema_migrations();
int latest_schema_version();

// Brings `db` up to the last version in `migrations`. Refuses a database from a
// newer version, and a file with tables but no mmharness version (another
// application's database). A failing step rolls back and leaves the previous
// version intact.
void migrate(sql::Database& db, std::span<const Migration> migrations);

}  // namespace mmh::store
