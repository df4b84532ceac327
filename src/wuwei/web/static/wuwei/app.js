// Wuwei front-end glue: htmx sends the CSRF token (set on <body>); nothing else global yet.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("ww-error");
  if (!box) return;
  box.textContent = event.detail.xhr.status + " — " + (event.detail.xhr.statusText || "error");
  box.classList.remove("d-none");
});
