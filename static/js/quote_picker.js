/* The editor's quoted source, progressive enhancement. Without JavaScript the teacher pastes the quote into
   the "Quoted source" field. With it, the sentences of the set's whole source text (below the field) become
   toggle buttons: picking one, or two neighbouring ones, writes them into the field, word for word. */
(function () {
  "use strict";
  var box = document.querySelector("[data-quote-picker]");
  var field = box && document.getElementById(box.getAttribute("data-quote-picker"));
  if (!field) { return; }
  var sentences = Array.prototype.slice.call(box.querySelectorAll(".sentence"));

  function picked(sentence) { return sentence.getAttribute("aria-pressed") === "true"; }

  function mark(sentence, on) {
    sentence.setAttribute("aria-pressed", on ? "true" : "false");
    sentence.classList.toggle("picked", on);
  }

  function write() {
    field.value = sentences.filter(picked).map(function (s) { return s.textContent.trim(); }).join(" ");
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function toggle(sentence) {
    var at = sentences.indexOf(sentence);
    if (picked(sentence)) {
      mark(sentence, false);
    } else {
      // a quote is one or two neighbouring sentences: any other pick starts a new quote
      var next = sentences.some(function (s, i) { return picked(s) && Math.abs(i - at) === 1; });
      if (!next || sentences.filter(picked).length >= 2) { sentences.forEach(function (s) { mark(s, false); }); }
      mark(sentence, true);
    }
    write();
  }

  sentences.forEach(function (sentence) {
    var quoted = sentence.querySelector("mark") !== null;  // the server marked the current quote
    sentence.textContent = sentence.textContent;  // the highlight is now the "picked" class
    sentence.setAttribute("role", "button");
    sentence.tabIndex = 0;
    mark(sentence, quoted);
    sentence.addEventListener("click", function () { toggle(sentence); });
    sentence.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();  // Enter would save the form, Space would scroll
        toggle(sentence);
      }
    });
  });
  var hint = box.querySelector("[data-picker-hint]");
  if (hint) { hint.hidden = false; }
}());
