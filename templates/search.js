/* Archive search: runs in the page over the shards listed in window.BRIEFING_SEARCH
   (search-index.js). A shard is a script of one year's items, added with
   <script src> the first time a search needs it, so the page stays small and
   search works from the file system with no server and fetches nothing. */
(function () {
  "use strict";
  var shards = (window.BRIEFING_SEARCH && window.BRIEFING_SEARCH.shards) || [];
  var records = [];
  var loaded = 0;
  var requested = false;
  var form = document.getElementById("search");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input) { return; }
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  window.BRIEFING_SEARCH_SHARD = function (shardRecords) {
    records = records.concat(shardRecords);
    loaded += 1;
    show();
  };

  // Newest year first, one after another, so results appear in date order.
  function loadNext(index) {
    if (index >= shards.length) { return; }
    var script = document.createElement("script");
    script.src = shards[index].src;
    script.onload = function () { loadNext(index + 1); };
    script.onerror = function () { loaded += 1; loadNext(index + 1); };
    document.head.appendChild(script);
  }

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
    if (!requested) { requested = true; loadNext(0); }
    var words = query.split(/\s+/);
    var hits = records.filter(function (record) { return matches(record, words); });
    var pending = loaded < shards.length ? "（正在载入索引…）" : "";
    status.textContent = (hits.length ? "找到 " + hits.length + " 篇"
      : (pending ? "" : "没有找到包含“" + input.value.trim() + "”的稿件")) + pending;
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
