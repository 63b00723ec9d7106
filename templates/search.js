/* Archive search: runs in the page over window.BRIEFING_SEARCH (search-index.js),
   so it works from the file system with no server and fetches nothing. */
(function () {
  "use strict";
  var records = window.BRIEFING_SEARCH || [];
  var form = document.getElementById("search");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input) { return; }
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  // Chinese has no spaces between words: match substrings; spaces separate required words.
  function matches(record, words) {
    var haystack = (record.title + "\n" + record.text).toLowerCase();
    return words.every(function (word) { return haystack.indexOf(word) >= 0; });
  }

  function snippet(text, word) {
    var at = Math.max(0, text.toLowerCase().indexOf(word) - 20);
    return (at > 0 ? "…" : "") + text.slice(at, at + 80) + (at + 80 < text.length ? "…" : "");
  }

  function show() {
    var query = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    var words = query.split(/\s+/);
    var hits = records.filter(function (record) { return matches(record, words); });
    status.textContent = hits.length ? "找到 " + hits.length + " 篇" : "没有找到包含“" + input.value.trim() + "”的稿件";
    hits.forEach(function (record) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = record.url;
      link.textContent = record.title;
      item.appendChild(link);
      item.appendChild(document.createTextNode("　" + record.issue + "　" + record.date));
      var text = document.createElement("p");
      text.className = "snippet";
      text.textContent = snippet(record.text, words[0]);
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  input.addEventListener("input", show);
  show();
})();
