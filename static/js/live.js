/* Live pages, progressive enhancement. Without JavaScript these pages refresh themselves every few seconds
   (a <noscript> meta refresh). With it, the page asks a tiny "stamp" URL and, as soon as the stamp changes,
   fetches the page again and swaps the #live region in place (no flicker, scroll kept).
   Long polling: the stamp URL is asked with ?after=<this page's stamp>; a server that can wait answers only
   when the stamp changed (or after a while with the same one), and the page asks again at once. A server that
   answers at once is asked again after data-every ms. A phone that heard of a change through a waiting poll
   waits a random moment of up to the answer's "spread" (ms, larger for a larger class) before fetching the
   page, so that a whole class does not ask in the same instant.
   The stamp lives in the database, so it works whichever server worker answers. */
(function () {
  "use strict";
  var region = document.getElementById("live");
  var busy = false;  // a stamp request (or the page fetch it led to) is out
  var leaving = false;  // the page is being loaded again (or elsewhere): nothing more to ask

  function reload() {
    // once: a second reload would cut the first short, and the page it led to would be fetched twice
    if (!leaving) { leaving = true; window.location.reload(); }
  }

  function typing() {
    var el = document.activeElement;
    return el && region.contains(el) && (el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && el.type === "text") || el.tagName === "SELECT");
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("live");
    if (!fresh) { reload(); return; }
    region.innerHTML = fresh.innerHTML;
    // scripts put in by innerHTML do not run: load the region's own (a question type's) as a page load would
    Array.prototype.forEach.call(region.querySelectorAll("script[src]"), function (old) {
      var script = document.createElement("script");
      script.src = old.src;
      old.replaceWith(script);
    });
    // a message such as "Answer saved." belonged to the page before: it no longer applies
    Array.prototype.forEach.call(document.querySelectorAll("main > .flash"), function (el) { el.remove(); });
    region.setAttribute("data-stamp", fresh.getAttribute("data-stamp") || "");
    document.title = doc.title;
    startCountdowns();
  }

  function refresh() {
    if (leaving) { return Promise.resolve(); }
    // redirect "manual": when the page now lives elsewhere (the session closed: the results), the browser
    // goes there itself, once; following the redirect here too would fetch that page twice
    return fetch(window.location.href, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
      .then(function (r) {
        if (r.type === "opaqueredirect" || !r.ok) { reload(); return null; }
        return r.text();
      })
      .then(function (html) { if (html) { swap(html); } });
  }

  function poll() {
    if (busy || leaving || document.hidden) { return; }  // hidden: visibilitychange asks again
    busy = true;
    clearTimeout(next);
    var started = Date.now();
    var url = stampUrl + (stampUrl.indexOf("?") < 0 ? "?" : "&") + "after=" +
      encodeURIComponent(region.getAttribute("data-stamp") || "");
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return every; }
        if (String(data.stamp) === region.getAttribute("data-stamp")) {
          // no change: after a long wait ask again at once; a server that answered at once, after a tick
          return Math.max(0, every - (Date.now() - started));
        }
        if (typing()) { return every; }
        return new Promise(function (done) { setTimeout(done, Math.random() * (data.spread || 0)); })
          .then(refresh)
          .then(function () { return 0; });
      })
      .catch(function () { return every; })  // network hiccup: try again after a tick
      .then(function (wait) {
        busy = false;
        next = setTimeout(poll, wait);
      });
  }

  var timers = [];
  function startCountdowns() {
    timers.forEach(clearInterval);
    timers = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-countdown]"), function (el) {
      var left = parseInt(el.getAttribute("data-countdown"), 10);
      // the page either wrote the words itself ("time left 0:05") or only the clock after its own label
      var worded = /time/.test(el.textContent);
      // data-grace: the page holds an answer form that goes once the time and its grace (seconds) are over
      var grace = el.getAttribute("data-grace");
      var show = function () {
        var m = Math.floor(left / 60), s = left % 60, clock = m + ":" + (s < 10 ? "0" : "") + s;
        el.textContent = !worded ? clock : (left > 0 ? "time left " + clock : "time is up");
      };
      show();
      timers.push(setInterval(function () {
        if (left <= 0) { return; }
        left -= 1;
        show();
        if (left === 0 && grace !== null && region) {
          // nothing could be sent any more: the server's page says so instead of the form, typing or not
          timers.push(setTimeout(function () { refresh().catch(reload); },
            parseInt(grace, 10) * 1000));
        }
      }, 1000));
    });
  }

  startCountdowns();
  if (!region || !window.fetch) { return; }
  var stampUrl = region.getAttribute("data-stamp-url");
  var every = parseInt(region.getAttribute("data-every") || "1500", 10);
  var next = null;
  poll();
  document.addEventListener("visibilitychange", poll);
})();
