// A button marked data-print prints the page (an onclick attribute would be inline
// script, which the Content-Security-Policy forbids).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
