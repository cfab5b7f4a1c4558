// The pieces every data-derived string passes through: UTF-8 repair, HTML
// escaping while streaming, JSON safe inside <script>, and number formats.
#include <catch2/catch.hpp>
#include <sstream>

#include "common/error.h"
#include "reports/format.h"
#include "reports/html_stream.h"
#include "reports/svg.h"
#include "reports/text_safety.h"

using namespace mmh::reports;

TEST_CASE("report text: invalid UTF-8 is replaced, valid text kept", "[report][text]") {
  CHECK(is_valid_utf8("Ein Bär 熊 🐻"));
  CHECK(repair_utf8("Ein Bär 熊 🐻") == "Ein Bär 熊 🐻");
  CHECK_FALSE(
      is_valid_utf8("a\xff"
                    "b"));
  CHECK(repair_utf8("a\xff"
                    "b") ==
        "a\xEF\xBF\xBD"
        "b");
  // A truncated sequence is one replacement; overlong forms and surrogates are invalid.
  CHECK(repair_utf8("x\xE7\x86") == "x\xEF\xBF\xBD");
  CHECK(repair_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(repair_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(repair_utf8("\xF4\x90\x80\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(is_valid_utf8(repair_utf8("\xff\xfe\xfd garbage \xc3")));
}

TEST_CASE("report text: truncation counts code points", "[report][text]") {
  CHECK(truncate_utf8("short", 10) == "short");
  CHECK(truncate_utf8("Bärenfell", 3) == "Bär\xE2\x80\xA6");
  CHECK(truncate_utf8("熊熊熊", 2) == "熊熊\xE2\x80\xA6");
}

TEST_CASE("report text: HtmlStream escapes data, repairs UTF-8, passes markup", "[report][text]") {
  std::ostringstream out;
  {
    HtmlStream page(out, "page.html");
    page.raw("<td>")
        .text("<script>alert(1)</script>")
        .raw("</td><td title=\"")
        .text("\"><img src=x onerror=alert(1)>")
        .raw("\">")
        .text("bad \xff byte")
        .raw("</td>")
        .integer(-42);
    page.flush();
  }
  CHECK(out.str() ==
        "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">"
        "bad \xEF\xBF\xBD byte</td>-42");
}

TEST_CASE("report text: HtmlStream tags and elements escape their attributes and text", "[report][text]") {
  std::ostringstream out;
  HtmlStream page(out, "page.html");
  page.tag("rect", {{"x", "1.5"}, {"fill", "\"/><script>"}}, true);
  page.element("td", "<b>", {{"title", "a'b"}});
  page.element("code", "x");
  page.flush();
  CHECK(out.str() ==
        "<rect x=\"1.5\" fill=\"&quot;/&gt;&lt;script&gt;\"/><td title=\"a&#39;b\">&lt;b&gt;</td><code>x</code>");
}

TEST_CASE("report text: HtmlStream reports a failed stream naming the file", "[report][text]") {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  HtmlStream page(out, "/full/disk/report.html");
  page.raw("x");
  try {
    page.flush();
    FAIL("no error");
  } catch (const mmh::Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("/full/disk/report.html"));
  }
}

TEST_CASE("report text: JSON for a script element cannot close it or break a string", "[report][text]") {
  const nlohmann::json value = {{"name", "</script><script>alert(1)</script>"},
                                {"comment", "<!-- & -->"},
                                {"separators", "a\u2028b\u2029c"},
                                {"bad", "x\xff"}};
  const std::string text = json_for_script(value);
  CHECK(text.find('<') == std::string::npos);
  CHECK(text.find('>') == std::string::npos);
  CHECK(text.find('&') == std::string::npos);
  CHECK(text.find("\xE2\x80\xA8") == std::string::npos);
  CHECK(text.find("\xE2\x80\xA9") == std::string::npos);
  CHECK_THAT(text,
             Catch::Contains("\\u003c/script\\u003e") && Catch::Contains("\\u2028") && Catch::Contains("\\u0026"));
  // JSON.parse reads back the original strings (nlohmann decodes \u escapes the same way).
  const auto back = nlohmann::json::parse(text);
  CHECK(back["name"] == value["name"]);
  CHECK(back["comment"] == value["comment"]);
  CHECK(back["separators"] == value["separators"]);
  CHECK(back["bad"] == "x\xEF\xBF\xBD");
}

TEST_CASE("report text: numbers as the page shows them", "[report][text]") {
  CHECK(format_points(45.1234) == "45.12");
  CHECK(format_points(-0.001) == "0.00");
  CHECK(format_signed(1.234) == "+1.23");
  CHECK(format_signed(-0.4) == "-0.40");
  CHECK(format_signed(0.0) == "0.00");
  CHECK(format_count(214354) == "214,354");
  CHECK(format_count(999) == "999");
  CHECK(format_count(-1234567) == "-1,234,567");
  CHECK(format_interval(44.8, 45.514) == "[44.80, 45.51]");
  CHECK(format_interval(std::nullopt, 1.0).empty());
  CHECK(short_digest("xxh64:0123456789abcdef") == "xxh64:01234567");
  CHECK(short_digest("abc") == "abc");
  CHECK(short_time("2026-11-24T10:00:00.000Z") == "2026-11-24 10:00");
}

TEST_CASE("report text: chart axes get round ticks that cover the data", "[report][svg]") {
  const auto ticks = nice_ticks(0, 83.2, 4);
  REQUIRE(ticks.size() >= 2);
  CHECK(ticks.front() <= 0);
  CHECK(ticks.back() >= 83.2);
  CHECK(ticks[1] - ticks[0] == Approx(20));
  const auto flat = nice_ticks(0, 0);  // an all-zero series still has an axis
  CHECK(flat.size() >= 2);
  CHECK(flat.back() > flat.front());
  CHECK(tick_label(0.05, 0.05) == "0.05");
  CHECK(tick_label(40, 20) == "40");
  const LinearScale y{0, 100, 200, 0};
  CHECK(y(50) == Approx(100));
}
