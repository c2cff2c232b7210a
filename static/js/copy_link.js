/* The set page's "Copy the link", progressive enhancement. Without JavaScript the link is a read-only field
   to select and copy by hand; with it, a button copies the field's text and says so in a status line. */
(function () {
  "use strict";
  var line = document.querySelector("[data-copy]");
  var field = line && document.getElementById(line.getAttribute("data-copy"));
  if (!field || !navigator.clipboard) { return; }
  var status = line.querySelector("[role=status]");
  line.hidden = false;
  line.querySelector("button").addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      status.textContent = "Link copied.";
    }, function () {
      field.select();  // the browser refused: leave the link selected, ready for Ctrl+C
      status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
    });
  });
}());
