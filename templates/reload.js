/* Added to pages by `briefing serve` only (never to the built site): reload the page
   when the site has been rebuilt; show the build's errors while there are any. */
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script.getAttribute("data-version");
  var endpoint = script.getAttribute("data-endpoint");
  var banner = null;

  function showErrors(text) {
    if (!text) {
      if (banner) { banner.remove(); banner = null; }
      return;
    }
    if (!banner) {
      banner = document.createElement("pre");
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;left:0;right:0;bottom:0;margin:0;padding:.6em 1em;" +
        "max-height:40vh;overflow:auto;background:#fff0f0;color:#900;border-top:3px solid #e00000;" +
        "white-space:pre-wrap;font:14px/1.5 monospace;z-index:10";
      document.body.appendChild(banner);
    }
    banner.textContent = "生成失败，页面为上一次的结果：\n" + text;
  }

  // The first question is answered at once (errors to show); later ones wait for a rebuild.
  function poll(wait) {
    fetch(endpoint + (wait ? "?since=" + encodeURIComponent(version) : ""), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (String(state.version) !== version) { location.reload(); return; }
        showErrors(state.error);
        poll(true);
      }, function () { setTimeout(function () { poll(false); }, 2000); });  // the server is restarting or gone
  }
  poll(false);
})();
