// 备课简报: the print button (no inline scripts).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
