// The deal page's stage bar (opportunities/_stage_bar.html): the stages the deal may move to
// are buttons; clicking one opens the move form with that stage chosen. Fields that only one
// target needs (loss reason, winner and price for "lost") are shown only for it. The form
// posts to the one stage service (gates, version check); a refusal comes back with its reason.
(function () {
  "use strict";

  function sync(form) {
    var target = form.querySelector("select[name=to]").value;
    form.querySelectorAll("[data-stage-when]").forEach(function (el) {
      el.hidden = el.getAttribute("data-stage-when") !== target;
    });
    form.querySelectorAll("[data-stage-unless]").forEach(function (el) {
      el.hidden = el.getAttribute("data-stage-unless") === target;
    });
    var reason = form.querySelector("[name=reason]");
    if (reason) reason.required = target === "lost";
    document.querySelectorAll("[data-stage-pick]").forEach(function (button) {
      var on = !form.hidden && button.getAttribute("data-stage-pick") === target;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-stage-form]");
    if (!form) return;
    var select = form.querySelector("select[name=to]");
    select.addEventListener("change", function () { sync(form); });
    document.querySelectorAll("[data-stage-pick]").forEach(function (button) {
      button.addEventListener("click", function () {
        select.value = button.getAttribute("data-stage-pick");
        form.hidden = false;
        sync(form);
        var first = form.querySelector("[name=reason]");
        if (first) first.focus();
      });
    });
    form.querySelector("[data-stage-cancel]").addEventListener("click", function () {
      form.hidden = true;
      sync(form);
    });
    sync(form);
  });
})();
