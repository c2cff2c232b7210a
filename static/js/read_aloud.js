/* Read aloud: a button that reads the question and its choices with the browser's own speech
   (speechSynthesis, nothing sent anywhere), and one that stops. Added only when the browser can speak: without
   JavaScript or without speech there are no buttons. Each [data-read-aloud] region gets its pair, once (the
   class phone's live.js swaps its page in place and loads this script again). */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") { return; }
  var speech = window.speechSynthesis;

  function clean(text) { return (text || "").replace(/\s+/g, " ").trim(); }

  // The prompt, then each choice ("Choice 1: ..."), or the label of each field to fill in.
  function wordsOf(region) {
    var parts = [];
    var prompt = region.querySelector(".prompt");
    if (prompt) { parts.push(clean(prompt.textContent)); }
    var n = 0;
    Array.prototype.forEach.call(region.querySelectorAll("label"), function (label) {
      var text = clean(label.textContent);
      if (!text) { return; }
      if (label.closest(".options")) { n += 1; text = "Choice " + n + ": " + text; }
      parts.push(text);
    });
    return parts.join(". \n");
  }

  function button(text) {
    var el = document.createElement("button");
    el.type = "button";  // never sends the answer form
    el.className = "btn secondary small";
    el.textContent = text;
    return el;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-read-aloud]"), function (region) {
    if (region.getAttribute("data-read-aloud") === "ready") { return; }
    region.setAttribute("data-read-aloud", "ready");
    var bar = document.createElement("div");
    bar.className = "read-aloud";
    var read = button("Read aloud");
    var stop = button("Stop reading");
    read.addEventListener("click", function () {
      speech.cancel();
      var utterance = new window.SpeechSynthesisUtterance(wordsOf(region));
      utterance.lang = document.documentElement.lang || "en";
      speech.speak(utterance);
    });
    stop.addEventListener("click", function () { speech.cancel(); });
    bar.appendChild(read);
    bar.appendChild(stop);
    region.insertBefore(bar, region.firstChild);
  });
  window.addEventListener("pagehide", function () { speech.cancel(); });
}());
