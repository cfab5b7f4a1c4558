#pragma once
// The page is written as it is built: markup and escaped text are appended to
// a small buffer that goes to the output stream whenever it fills, so a report
// over hundreds of thousands of samples never holds the whole page in memory.
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

namespace mmh::reports {

struct Attribute {
  std::string_view name;
  std::string_view value;
};

class HtmlStream {
 public:
  // `name` (the file being written) names the failure when the stream goes bad.
  HtmlStream(std::ostream& out, std::string name);
  ~HtmlStream();
  HtmlStream(const HtmlStream&) = delete;
  HtmlStream& operator=(const HtmlStream&) = delete;

  // Markup written by this program (tags, CSS, the script); never data.
  HtmlStream& raw(std::string_view markup);
  // Text from data or a model: UTF-8 repaired, then escape_html, so it is inert
  // as element text and inside a quoted attribute value.
  HtmlStream& text(std::string_view data);
  HtmlStream& integer(std::int64_t value);
  // <name a="v" ...> (or <name .../>), each value escaped as text(): SVG
  // elements read as one call, and an attribute can never carry markup.
  HtmlStream& tag(std::string_view name, std::initializer_list<Attribute> attributes, bool self_closing = false);
  // <name a="v" ...>text</name>, the text escaped.
  HtmlStream& element(std::string_view name, std::string_view data, std::initializer_list<Attribute> attributes = {});

  // Writes what is buffered; an mmh::Error naming the file when the stream failed.
  void flush();
  std::uint64_t bytes_written() const { return written_ + buffer_.size(); }

 private:
  std::ostream& out_;
  std::string name_;
  std::string buffer_;
  std::uint64_t written_ = 0;
};

}  // namespace mmh::reports
