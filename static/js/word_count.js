// An essay's box counts its words as they are typed (the server checks the limit; without JS nothing is lost).
(function () {
  "use strict";
  document.querySelectorAll(".field.essay textarea").forEach(function (box) {
    var out = box.parentElement.querySelector(".word-count");
    var limit = parseInt(box.getAttribute("data-word-limit") || "0", 10);
    if (!out) return;
    function update() {
      var words = (box.value.match(/\S+/g) || []).length;
      out.textContent = words + (words === 1 ? " word" : " words") + (limit ? " of " + limit : "");
      out.classList.toggle("over", limit > 0 && words > limit);
    }
    out.hidden = false;
    box.addEventListener("input", update);
    update();
  });
})();
