// Wuwei front-end glue: htmx sends the CSRF token (set on <body>); nothing else global yet.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("ww-error");
  if (!box) return;
  box.textContent = event.detail.xhr.status + " — " + (event.detail.xhr.statusText || "error");
  box.classList.remove("d-none");
});

// Tooltips for the method's terms ("?" next to a term, {% term %} tag) and any element with
// data-bs-toggle="tooltip"; started here, not inline, and again after htmx swaps content in.
function wwTooltips(root) {
  if (!window.bootstrap) return;
  root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
    window.bootstrap.Tooltip.getOrCreateInstance(el);
  });
}
document.addEventListener("DOMContentLoaded", function () { wwTooltips(document); });
document.addEventListener("htmx:afterSwap", function (event) { wwTooltips(event.detail.target); });
