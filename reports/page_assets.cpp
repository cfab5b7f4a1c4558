// The page's only style sheet and script, inline: the file opens from disk
// with no request (the Content-Security-Policy in html_page.cpp forbids any).
#include "reports/sections.h"

namespace mmh::reports {

std::string_view page_css() {
  return R"css(
:root{--fg:#1b1f24;--muted:#5d6778;--line:#d0d5dd;--head:#f2f4f7;--best:#fff1c2;--up:#067647;--down:#b42318;--warn:#b54708}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);margin:0;background:#fff}
header{padding:14px 24px;border-bottom:1px solid var(--line);background:var(--head)}
header h1{margin:0 0 4px;font-size:20px}
nav{margin-top:6px}nav a{margin-right:16px;color:#175cd3}
main{padding:0 24px 40px}
section{margin-top:26px}
h2{font-size:17px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-bottom:8px}
h3{font-size:15px;margin:18px 0 6px}h4{font-size:13px;margin:10px 0 4px}
.note{color:var(--muted);font-size:13px;max-width:80em;margin:4px 0 10px}
.muted{color:var(--muted)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid var(--line);padding:4px 7px;vertical-align:top;text-align:left}
thead th{background:var(--head);font-weight:600}
.tag{display:inline-block;font-size:11px;padding:0 5px;border-radius:8px;background:#e0eaff;color:#1849a9;margin-left:4px;vertical-align:1px}
.tag.bad{background:#fee4e2;color:var(--down)}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:0}
.overview td.nowrap{white-space:nowrap}
.overview td.cell{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.overview td.best{background:var(--best)}
.overview .v{font-weight:600}.overview .ci,.overview .n{font-size:11px;color:var(--muted)}
.delta{font-size:12px;margin-top:2px}.delta.sig.up{color:var(--up);font-weight:600}.delta.sig.down{color:var(--down);font-weight:600}
.delta.ns{color:var(--muted)}.delta.problem{color:var(--warn);font-weight:600}
ul.problems{font-size:13px;color:var(--warn)}
.legend{margin:6px 0;font-size:13px}.legend span.item{margin-right:14px;white-space:nowrap}
.charts{display:flex;flex-wrap:wrap;gap:10px 24px;align-items:flex-start}
figure{margin:0}figcaption{font-size:12px;color:var(--muted);margin-bottom:2px}
svg text{font-family:inherit}
details>summary{cursor:pointer}
.controls{display:flex;gap:16px;align-items:center;margin:8px 0;flex-wrap:wrap}
.controls input{width:22em}
table.samples td{max-width:26em}
table.samples th[data-sort]{cursor:pointer;user-select:none}
table.samples th[aria-sort=ascending]::after{content:" \25B2"}
table.samples th[aria-sort=descending]::after{content:" \25BC"}
.thumb{width:96px;height:96px;background:center/contain no-repeat;border:1px solid var(--line)}
img.thumb{object-fit:contain}
.imgkey{font-size:11px;color:var(--muted);max-width:96px;overflow-wrap:anywhere}
.q{font-weight:600;margin-bottom:3px}
ul.refs,ol.options{margin:2px 0;padding-left:18px}
.meta,.demos{font-size:11px;color:var(--muted)}
.pred{font-weight:600;white-space:pre-wrap;overflow-wrap:anywhere}
.raw{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;color:#344054}
.score{font-variant-numeric:tabular-nums}
.error{color:var(--down);font-size:12px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:var(--head);padding:8px;overflow:auto;max-height:32em;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
table.kv th{width:11em;background:var(--head)}
.run-details{border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:8px 0}
footer{color:var(--muted);font-size:12px;padding:16px 24px;border-top:1px solid var(--line)}
)css";
}

// Filters and sorts the per-sample rows; records any error on <body
// data-errors> and sets data-ready="1" once done, with data-render-ms (the
// time since navigation): the browser test and the benchmark read them.
std::string_view page_script() {
  return R"js(
(function () {
  'use strict';
  var body = document.body;
  var errors = [];
  function record(message) {
    errors.push(String(message));
    body.setAttribute('data-errors', errors.join(' | '));
  }
  window.addEventListener('error', function (e) { record(e.message || 'error'); });
  document.addEventListener('securitypolicyviolation', function (e) {
    record('blocked by the page policy: ' + e.violatedDirective + ' ' + e.blockedURI);
  });

  function setUpSamples(data) {
    var table = document.getElementById('samples-table');
    if (!table) return;
    var items = Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return {row: row, text: row.textContent.toLowerCase()};
    });
    var select = document.getElementById('sample-group');
    var search = document.getElementById('sample-search');
    var count = document.getElementById('sample-count');
    data.groups.forEach(function (g) {
      var option = document.createElement('option');
      option.value = String(g.id);
      option.textContent = g.label + ' (' + g.shown + ' of ' + g.total + ')';
      select.appendChild(option);
    });

    function filter() {
      var group = select.value;
      var query = search.value.trim().toLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        var visible = (group === '' || item.row.getAttribute('data-group') === group) &&
                      (query === '' || item.text.indexOf(query) >= 0);
        item.row.hidden = !visible;
        if (visible) shown++;
      });
      count.textContent = shown + ' of ' + items.length + ' rows';
    }

    function sortBy(column, kind, th) {
      var descending = th.getAttribute('aria-sort') === 'ascending' ||
                       (kind === 'num' && th.getAttribute('aria-sort') !== 'descending');
      Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      var keyed = items.map(function (item, i) {
        var cell = item.row.cells[column];
        var v = cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent;
        if (kind === 'num') v = v === '' ? NaN : Number(v);
        return {item: item, i: i, v: v};
      });
      keyed.sort(function (a, b) {
        if (kind === 'num' && (isNaN(a.v) || isNaN(b.v))) {  // no value: last either way
          return (isNaN(a.v) - isNaN(b.v)) || a.i - b.i;
        }
        var c = kind === 'num' ? a.v - b.v : String(a.v).localeCompare(String(b.v), undefined, {numeric: true});
        return (descending ? -c : c) || a.i - b.i;
      });
      var tbody = table.tBodies[0];
      var fragment = document.createDocumentFragment();
      items = keyed.map(function (k) { fragment.appendChild(k.item.row); return k.item; });
      tbody.appendChild(fragment);
    }

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var kind = th.getAttribute('data-sort');
      if (!kind) return;
      th.tabIndex = 0;
      th.addEventListener('click', function () { sortBy(column, kind, th); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(column, kind, th); }
      });
    });
    var timer = 0;
    select.addEventListener('change', filter);
    search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(filter, 150); });
    filter();
  }

  // A link to a run's details opens them.
  function openTarget() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.tagName === 'DETAILS') target.open = true;
  }
  window.addEventListener('hashchange', openTarget);

  try {
    openTarget();
    setUpSamples(JSON.parse(document.getElementById('report-data').textContent));
    body.setAttribute('data-render-ms', String(Math.round(performance.now())));
    body.setAttribute('data-ready', '1');
  } catch (e) {
    record(e && e.message ? e.message : e);
  }
})();
)js";
}

}  // namespace mmh::reports
