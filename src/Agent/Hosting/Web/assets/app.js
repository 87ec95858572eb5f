// The agent's pages: live updates and relative times. No framework, nothing fetched but this
// agent's own pages. On each server-sent event the page fetches itself and swaps <main>; the
// server renders (and HTML-encodes) everything, so no text is ever turned into markup here.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var view = document.getElementById("view");
  if (!view) { return; }

  function relative(seconds) {
    if (seconds < 0) { return "just now"; }
    if (seconds < 60) { return Math.floor(seconds) + " s ago"; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + " min ago"; }
    if (seconds < 86400) { return Math.floor(seconds / 3600) + " h ago"; }
    return Math.floor(seconds / 86400) + " d ago";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[datetime]").forEach(function (t) {
      var at = Date.parse(t.getAttribute("datetime"));
      if (!isNaN(at)) { t.textContent = relative((now - at) / 1000); }
    });
  }

  var fetching = false;
  var again = false;
  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch(location.pathname + location.search, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var next = doc.getElementById("view");
        var current = document.getElementById("view");
        if (next && current && next.dataset.version !== current.dataset.version) {
          current.replaceChildren.apply(current, Array.prototype.slice.call(next.childNodes).map(function (n) { return document.importNode(n, true); }));
          current.dataset.version = next.dataset.version;
          tick();
        }
      })
      .catch(function () { /* the next event tries again */ })
      .then(function () {
        fetching = false;
        if (again) { again = false; refresh(); }
      });
  }

  if (window.EventSource) {
    var events = new EventSource("/api/events");
    events.addEventListener("change", function (e) {
      if (live) { live.textContent = "live"; live.className = "live on"; }
      var version = JSON.parse(e.data).version;
      var current = document.getElementById("view");
      if (current && String(version) !== current.dataset.version) { refresh(); }
    });
    events.onerror = function () { if (live) { live.textContent = "reconnecting"; live.className = "live off"; } };
  }

  tick();
  setInterval(tick, 15000);
})();
