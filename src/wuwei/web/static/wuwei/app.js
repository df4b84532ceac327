// Wuwei front-end glue. htmx sends the CSRF token (set on <body>). The Content-Security-Policy
// forbids inline scripts and inline event handlers (onclick=, onchange=…), so the few page
// behaviours that used them are declared with data attributes and wired here once:
//   data-autosubmit          on a <select>/<input>: submit its form when it changes
//   data-confirm="question"  on a <form>: ask before submitting; "Cancel" keeps the page
//   data-remove-closest="form" on a button: remove that ancestor (close an inline form)
//   data-history-back        on a link: go back when there is a page to go back to
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
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.requestSubmit();
});

document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

document.addEventListener("click", function (event) {
  var remover = event.target.closest && event.target.closest("[data-remove-closest]");
  if (remover) {
    var target = remover.closest(remover.getAttribute("data-remove-closest"));
    if (target) target.remove();
    return;
  }
  var back = event.target.closest && event.target.closest("[data-history-back]");
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

// Export links ({% export_menu %}): the list's filters may have changed since the page was
// rendered (htmx pushes them into the address bar), so build the link from the current URL.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-export]");
  if (!link) return;
  var params = new URLSearchParams(window.location.search);
  params.delete("cursor");
  params.set("export", link.getAttribute("data-export"));
  var base = link.getAttribute("data-export-url") || window.location.pathname;
  if (base === window.location.pathname) link.setAttribute("href", base + "?" + params.toString());
});
// Lists as cards on phones (issue #16 item 8; CSS in app.css): every cell of a
// table.table-cards gets its column's heading as data-label, shown before the value when the
// row is drawn as a card. A cell that already has data-label keeps it (data-label="" for
// none); colspan and rowspan are followed, so every cell gets its own column's heading. Runs on load
// and on every htmx swap (a new page of rows, a row replaced after an edit).
function wwCardLabels(root) {
  var tables = [];
  if (root.matches && root.matches("table.table-cards")) tables.push(root);
  var inTable = root.closest && root.closest("table.table-cards");
  if (inTable) tables.push(inTable);
  if (root.querySelectorAll) {
    root.querySelectorAll("table.table-cards").forEach(function (table) { tables.push(table); });
  }
  tables.forEach(function (table) {
    var headings = [];
    var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (headRow) {
      Array.prototype.forEach.call(headRow.cells, function (cell) {
        var label = cell.textContent.replace(/\s+/g, " ").trim();
        for (var i = 0; i < (cell.colSpan || 1); i++) headings.push(label);
      });
    }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var covered = []; // per column: rows still taken by a rowspan cell above
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          while (covered[column] > 0) column++;
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && headings[column]) {
            cell.setAttribute("data-label", headings[column]);
          }
          for (var i = 0; i < (cell.colSpan || 1); i++) covered[column + i] = cell.rowSpan || 1;
          column += cell.colSpan || 1;
        });
        covered = covered.map(function (rows) { return rows > 0 ? rows - 1 : 0; });
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { wwCardLabels(document); });
document.addEventListener("htmx:load", function (event) { wwCardLabels(event.detail.elt); });
