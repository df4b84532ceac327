// The type-ahead picker (web/widgets/picker.html, `AccountPicker`): a text box that asks the
// JSON endpoint in data-picker-url (?q=) as the user types and keeps the chosen id in the
// hidden input beside it. Wired by event delegation on the document, so pickers that htmx
// swaps in (a drawer's form) work without starting anything. Keyboard: ↓/↑ move through the
// matches, Enter picks, Escape closes; typing again clears the choice until a match is picked.
// Names are user values: they are put in with textContent, never as HTML.
(function () {
  "use strict";
  var timers = new WeakMap();
  var counter = 0;

  function parts(el) {
    var box = el.closest("[data-picker]");
    if (!box) return null;
    return {
      box: box,
      input: box.querySelector("[data-picker-input]"),
      value: box.querySelector("[data-picker-value]"),
      list: box.querySelector("[data-picker-list]"),
    };
  }

  function options(p) { return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]")); }

  function close(p) {
    p.list.classList.remove("show");
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function activate(p, index) {
    var all = options(p);
    if (!all.length) return;
    index = (index + all.length) % all.length;
    all.forEach(function (o, i) {
      var on = i === index;
      o.classList.toggle("active", on);
      o.setAttribute("aria-selected", on ? "true" : "false");
    });
    p.input.setAttribute("aria-activedescendant", all[index].id);
    all[index].scrollIntoView({ block: "nearest" });
  }

  function pick(p, option) {
    p.value.value = option.getAttribute("data-value");
    p.input.value = option.getAttribute("data-label");
    close(p);
    p.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function show(p, items) {
    p.list.textContent = "";
    if (!items.length) {
      var none = document.createElement("li");
      none.className = "dropdown-item-text text-secondary small";
      none.textContent = p.box.getAttribute("data-picker-empty") || "—";
      p.list.appendChild(none);
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.id = "ww-pick-" + (++counter);
      li.className = "dropdown-item";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-value", item.id);
      li.setAttribute("data-label", item.name);
      li.textContent = item.name;
      if (item.detail) {
        var detail = document.createElement("small");
        detail.className = "text-secondary ms-2";
        detail.textContent = item.detail;
        li.appendChild(detail);
      }
      p.list.appendChild(li);
    });
    p.list.classList.add("show");
    p.input.setAttribute("aria-expanded", "true");
    if (items.length) activate(p, 0);
  }

  function search(p) {
    var url = p.box.getAttribute("data-picker-url");
    var query = p.input.value;
    fetch(url + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) {
        if (p.input.value === query && document.activeElement === p.input) show(p, data.items);
      });
  }

  document.addEventListener("input", function (event) {
    var p = event.target.matches && event.target.matches("[data-picker-input]") && parts(event.target);
    if (!p) return;
    p.value.value = "";
    clearTimeout(timers.get(p.input));
    timers.set(p.input, setTimeout(function () { search(p); }, 200));
  });

  document.addEventListener("focusin", function (event) {
    var p = event.target.matches && event.target.matches("[data-picker-input]") && parts(event.target);
    if (p && !p.value.value) search(p);
  });

  document.addEventListener("keydown", function (event) {
    var p = event.target.matches && event.target.matches("[data-picker-input]") && parts(event.target);
    if (!p) return;
    var all = options(p);
    var current = all.findIndex(function (o) { return o.classList.contains("active"); });
    var open = p.list.classList.contains("show");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) { search(p); return; }
      activate(p, current + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && open) {
      event.preventDefault(); // pick, do not submit the form
      if (current >= 0) pick(p, all[current]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close(p);
    }
  });

  // mousedown, not click: it comes before the text box loses focus and closes the list
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-picker] [role=option]");
    if (!option) return;
    event.preventDefault();
    pick(parts(option), option);
  });

  document.addEventListener("focusout", function (event) {
    var p = event.target.matches && event.target.matches("[data-picker-input]") && parts(event.target);
    if (p) setTimeout(function () { close(p); }, 100);
  });
})();
