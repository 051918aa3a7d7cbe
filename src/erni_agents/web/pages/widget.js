/* ERNI chat widget loader: <script src="https://HOST/widget.js" data-lang="de" async></script>
   Builds a floating button and chat panel in a Shadow DOM on the host page (no iframe) and talks
   to the ERNI API across origins; the host page's origin must be listed in CORS_ORIGINS. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__erniWidget) return;
  window.__erniWidget = true;
  var base = new URL(".", script.src).href.replace(/\/$/, "");
  var staticBase = base + "/static/{{version}}";
  var lang = script.getAttribute("data-lang") === "en" ? "en" : "de";
  import(staticBase + "/js/widget-main.js")
    .then(function (m) { m.mount({ apiBase: base, staticBase: staticBase, lang: lang }); })
    .catch(function (err) { console.error("ERNI widget failed to load", err); });
})();
