/* Answer-and-evidence questions, progressive enhancement (every part works without JavaScript).
   Taking: the checkbox list of sentences becomes a paragraph of the text whose sentences are toggle buttons
   (click, tap, Enter or Space); each button ticks its checkbox, which stays what the form sends.
   Editing: the sentences of the set's source text (the quote picker's box) can be clicked to write them into
   the evidence field, one a line, in text order. Included once per question: each part is set up once. */
(function () {
  "use strict";

  function press(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.classList.toggle("picked", on);
  }

  function sentenceButton(text, onToggle) {
    var button = document.createElement("span");
    button.className = "sentence";
    button.textContent = text;
    button.setAttribute("role", "button");
    button.tabIndex = 0;
    button.addEventListener("click", onToggle);
    button.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();  // Enter would send the form, Space would scroll
        onToggle();
      }
    });
    return button;
  }

  function enhanceAnswer(fieldset) {
    fieldset.setAttribute("data-evidence-ready", "");
    var list = fieldset.querySelector(".evidence-list");
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    var text = document.createElement("p");
    text.className = "evidence-text";
    boxes.forEach(function (box, i) {
      var sentence = box.parentNode.querySelector("span").textContent;
      var button = sentenceButton(sentence, function () {
        if (box.disabled) { return; }
        box.checked = !box.checked;
        press(button, box.checked);
      });
      if (box.disabled) { button.setAttribute("aria-disabled", "true"); }
      press(button, box.checked);
      text.appendChild(button);
      if (i < boxes.length - 1) { text.appendChild(document.createTextNode(" ")); }
    });
    var hint = document.createElement("p");
    hint.className = "muted small";
    hint.textContent = "Click or tap each sentence that proves it (Tab, then Enter or Space, works too).";
    list.hidden = true;
    list.parentNode.insertBefore(hint, list);
    list.parentNode.insertBefore(text, list);
  }

  function enhanceEditor(box) {
    box.setAttribute("data-evidence-ready", "");
    var field = document.getElementById(box.getAttribute("data-evidence-picker"));
    var source = document.querySelector("[data-quote-picker]");
    if (!field || !source) { return; }
    var texts = Array.prototype.map.call(source.querySelectorAll(".sentence"), function (s) {
      return s.textContent.trim();
    });
    var squash = function (s) { return s.replace(/\s+/g, " ").replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, "\"").trim(); };
    var picked = function () { return field.value.split("\n").map(squash).filter(Boolean); };
    var panel = document.createElement("details");
    panel.className = "source-preview";
    var summary = document.createElement("summary");
    summary.textContent = "Pick the sentences that prove it from the source text";
    panel.appendChild(summary);
    var text = document.createElement("p");
    var buttons = texts.map(function (sentence) {
      var button = sentenceButton(sentence, function () {
        press(button, button.getAttribute("aria-pressed") !== "true");
        field.value = buttons.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })
          .map(function (b) { return b.textContent; }).join("\n");
      });
      press(button, picked().indexOf(squash(sentence)) >= 0);
      text.appendChild(button);
      text.appendChild(document.createTextNode(" "));
      return button;
    });
    panel.appendChild(text);
    box.appendChild(panel);
    var hint = box.querySelector("[data-picker-hint]");
    if (hint) { hint.hidden = false; }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-evidence]:not([data-evidence-ready])"), enhanceAnswer);
  Array.prototype.forEach.call(
    document.querySelectorAll("[data-evidence-picker]:not([data-evidence-ready])"), enhanceEditor);
}());
