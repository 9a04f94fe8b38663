// "Choose at most N": a tick beyond the limit is undone at once and a hint says why.
// The server enforces the same limit (answering.py); this only spares the round trip.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.type !== "checkbox") return;
    var group = box.closest("[data-max-choices]");
    if (!group) return;
    var max = parseInt(group.getAttribute("data-max-choices"), 10);
    var ticked = group.querySelectorAll('input[type="checkbox"]:checked').length;
    var hint = group.querySelector('[data-testid="max-choices-hint"]');
    if (box.checked && ticked > max) {
      box.checked = false;
      if (hint) hint.classList.remove("d-none");
    } else if (hint) {
      hint.classList.add("d-none");
    }
  });
})();
