#pragma once
// Plain-text tables for the terminal: columns padded to their widest cell
// (counted in UTF-8 code points), two spaces apart.
#include <ostream>
#include <string>
#include <vector>

namespace mmh::cli {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header);
  void add_row(std::vector<std::string> cells);
  void print(std::ostream& out) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// "112.34", or "-" for a missing value.
std::string format_number(double value, int decimals = 2);

}  // namespace mmh::cli
