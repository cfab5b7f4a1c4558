#include "reports/html_stream.h"

#include "common/error.h"
#include "reports/html.h"
#include "reports/text_safety.h"

namespace mmh::reports {
namespace {
constexpr std::size_t kFlushBytes = 256 * 1024;
}

HtmlStream::HtmlStream(std::ostream& out, std::string name) : out_(out), name_(std::move(name)) {
  buffer_.reserve(kFlushBytes * 2);
}

HtmlStream::~HtmlStream() = default;  // the owner flushes: a destructor must not throw

HtmlStream& HtmlStream::raw(std::string_view markup) {
  buffer_.append(markup);
  if (buffer_.size() >= kFlushBytes) flush();
  return *this;
}

HtmlStream& HtmlStream::text(std::string_view data) {
  return raw(is_valid_utf8(data) ? escape_html(data) : escape_html(repair_utf8(data)));
}

HtmlStream& HtmlStream::integer(std::int64_t value) { return raw(std::to_string(value)); }

HtmlStream& HtmlStream::tag(std::string_view name, std::initializer_list<Attribute> attributes, bool self_closing) {
  raw("<").raw(name);
  for (const auto& a : attributes) raw(" ").raw(a.name).raw("=\"").text(a.value).raw("\"");
  return raw(self_closing ? "/>" : ">");
}

HtmlStream& HtmlStream::element(std::string_view name, std::string_view data,
                                std::initializer_list<Attribute> attributes) {
  return tag(name, attributes).text(data).raw("</").raw(name).raw(">");
}

void HtmlStream::flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  if (!out_) throw Error(name_, "cannot write the report (disk full or file not writable)");
  written_ += buffer_.size();
  buffer_.clear();
}

}  // namespace mmh::reports
