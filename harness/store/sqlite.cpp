#include "harness/store/sqlite.h"

#include "common/error.h"

namespace mmh::sql {
namespace {

// Long enough for another process's batch commit; short enough to report a stuck lock.
constexpr int kBusyTimeoutMs = 30'000;

std::string describe(int code, const char* message) {
  switch (code & 0xff) {
    case SQLITE_NOTADB: return "not an SQLite database";
    case SQLITE_CORRUPT: return "the database file is corrupt (" + std::string(message) + ")";
    case SQLITE_CANTOPEN: return "cannot open the database file (" + std::string(message) + ")";
    case SQLITE_BUSY: return "the database stayed locked by another process for 30 s";
    case SQLITE_READONLY: return "the database is read-only (" + std::string(message) + ")";
    case SQLITE_FULL: return "the disk is full";
    default: return "SQLite error: " + std::string(message);
  }
}

}  // namespace

// --- Database ----------------------------------------------------------------

Database::Database(const std::filesystem::path& path, OpenMode mode) : path_(path) {
  if (mode == OpenMode::kExisting && !std::filesystem::exists(path))
    throw Error(path.string(), "no results database here (check --db)");
  if (std::filesystem::is_directory(path))
    throw Error(path.string(), "is a directory, not a database file");
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::kCreate) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(path.string(), describe(rc, message.c_str()));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  try {
    // Reading the header here turns "not a database" into an error at open time.
    exec("PRAGMA foreign_keys = ON;");
    user_version();
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

void Database::fail(std::string_view doing) const {
  int code = sqlite3_extended_errcode(db_);
  std::string what = describe(code, sqlite3_errmsg(db_));
  // What we were doing only helps with unexpected errors, not with a bad file.
  const int primary = code & 0xff;
  if (!doing.empty() && primary != SQLITE_NOTADB && primary != SQLITE_CORRUPT) what.append(" while ").append(doing);
  throw Error(path_.string(), what);
}

void Database::exec(std::string_view sql) {
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail("");
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

int Database::user_version() {
  Statement st(*this, "PRAGMA user_version");
  st.step();
  return static_cast<int>(st.get_int(0));
}

// --- Statement ---------------------------------------------------------------

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    db_.fail("preparing a query");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_.fail("binding a value");
  return *this;
}
Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) db_.fail("binding a value");
  return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
    db_.fail("binding a value");
  return *this;
}
Statement& Statement::bind(int index, std::nullopt_t) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_.fail("binding a value");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  db_.fail("running a query");
}

void Statement::run() {
  step();
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::get_int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::get_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::get_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!text) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<double> Statement::get_optional_double(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_double(column);
}

std::optional<std::string> Statement::get_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_text(column);
}

// --- Transaction ---------------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace mmh::sql
