#pragma once
// A thin RAII layer over the SQLite C API: a connection, prepared statements
// and IMMEDIATE transactions. Every failure becomes one mmh::Error naming the
// database file, so callers never see a raw SQLite return code.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mmh::sql {

class Database;

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::nullopt_t);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }

  bool step();  // true while a row is available
  void run();   // executes a statement that returns no rows, then resets it
  void reset();

  int column_count() const;
  bool is_null(int column) const;
  std::int64_t get_int(int column) const;
  double get_double(int column) const;
  std::string get_text(int column) const;  // "" for NULL
  std::optional<double> get_optional_double(int column) const;
  std::optional<std::string> get_optional_text(int column) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  enum class OpenMode { kCreate, kExisting };
  Database(const std::filesystem::path& path, OpenMode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs SQL without parameters (schema statements, pragmas); may hold several statements.
  void exec(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int user_version();
  int changes() const;

  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  // Throws the mmh::Error for the connection's current SQLite error.
  [[noreturn]] void fail(std::string_view doing) const;

 private:
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front, so two writers queue on the
// busy timeout instead of one failing when it upgrades a read transaction.
// Rolls back on destruction unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace mmh::sql
