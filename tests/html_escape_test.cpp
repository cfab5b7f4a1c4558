#include <catch2/catch.hpp>

#include "reports/html.h"

using mmh::reports::escape_html;

TEST_CASE("html: model output cannot inject markup", "[reports][html]") {
  CHECK(escape_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(escape_html("\"><img src=x onerror=alert(1)>") == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  CHECK(escape_html("it's a 'quote'") == "it&#39;s a &#39;quote&#39;");
  CHECK(escape_html("fish & chips &amp;") == "fish &amp; chips &amp;amp;");
  CHECK(escape_html("Ein Bär 熊") == "Ein Bär 熊");  // UTF-8 passes through
  CHECK(escape_html("") == "");
}
