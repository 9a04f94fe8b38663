// Outcomes pages: print the certificate, tick every trainee who meets the criteria.
document.addEventListener("click", (event) => {
  const print = event.target.closest("[data-print]");
  if (print) {
    window.print();
    return;
  }
  const ready = event.target.closest("[data-select-ready]");
  if (ready) {
    ready.form.querySelectorAll("input[data-ready]").forEach((box) => {
      box.checked = true;
    });
  }
});
