// The navigation's global search box (web/base.html). htmx fetches the grouped preview as
// the user types (hx-trigger with a 250 ms delay; the server escapes every value); this file
// adds the keyboard: Ctrl+K (⌘K) or "/" focuses the box ("/" not while typing in a field),
// ↓/↑ move through the results, Esc closes them, Enter on the box opens the results page and
// Enter on a result opens its record.
(function () {
  function box() { return document.getElementById("global-search"); }
  function panel() { return document.getElementById("global-search-results"); }
  function hits() {
    var list = panel();
    return list ? Array.prototype.slice.call(list.querySelectorAll("a[data-search-hit]")) : [];
  }

  function show(open) {
    var list = panel();
    var input = box();
    if (!list || !input) return;
    var hasContent = open && list.textContent.trim() !== "" && input.value.trim() !== "";
    list.classList.toggle("show", hasContent);
    input.setAttribute("aria-expanded", hasContent ? "true" : "false");
  }

  function typing(element) {
    if (!element) return false;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function move(step) {
    var items = hits();
    if (!items.length) return;
    var index = items.indexOf(document.activeElement);
    var next = index === -1 ? (step > 0 ? 0 : items.length - 1) : index + step;
    if (next < 0) { box().focus(); return; }
    items[Math.min(next, items.length - 1)].focus();
  }

  document.addEventListener("keydown", function (event) {
    var input = box();
    if (!input) return;
    var key = event.key;
    if ((event.ctrlKey || event.metaKey) && (key === "k" || key === "K")) {
      event.preventDefault();
      input.focus();
      input.select();
      show(true);
      return;
    }
    if (key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(document.activeElement)) {
      event.preventDefault();
      input.focus();
      input.select();
      return;
    }
    var inSearch = document.activeElement === input || (panel() && panel().contains(document.activeElement));
    if (!inSearch) return;
    if (key === "ArrowDown") { event.preventDefault(); show(true); move(1); }
    else if (key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (key === "Escape") { show(false); input.focus(); }
  });

  // A new preview arrived: open the panel (or close it when the box was emptied meanwhile).
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "global-search-results") show(true);
  });
  document.addEventListener("input", function (event) {
    if (event.target === box() && event.target.value.trim() === "") {
      panel().innerHTML = "";
      show(false);
    }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target === box()) show(true);
  });
  document.addEventListener("click", function (event) {
    var form = document.getElementById("global-search-form");
    if (form && !form.contains(event.target)) show(false);
  });
})();
