// Shared chart helpers for every ECharts page (nine-box, load heat map, win-rate curve,
// relationship map). ECharts renders tooltips as HTML, so a user value (an account name, a
// display name, a contact's title) that reaches a tooltip must be escaped: Wuwei.esc is the one
// helper that does it, and Wuwei.tip builds tooltip HTML only from escaped parts. Chart data
// arrives as JSON from a <script type="application/json"> element (Django's json_script), never
// pasted into script text. Canvas text (labels, axes, legends) is drawn as plain text and needs
// no escaping; give it through a formatter function (Wuwei.text), never as a format template, so
// braces in a name are shown as typed instead of being read as "{b}" placeholders.
(function () {
  "use strict";

  var HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  // Any value → text safe inside HTML element content and quoted attributes.
  function esc(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(/[&<>"']/g, function (c) { return HTML_ESCAPES[c]; });
  }

  // Any value → plain text for canvas labels (no HTML, no template placeholders).
  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  // Tooltip HTML: a bold title, then one line per entry. Every part is escaped here, so a
  // formatter never concatenates raw values into markup.
  function tip(title, lines) {
    var html = title === null || title === undefined || title === "" ? [] : ["<b>" + esc(title) + "</b>"];
    (lines || []).forEach(function (line) {
      if (line === null || line === undefined || line === "") return;
      html.push(Array.isArray(line) ? line.map(esc).join(" ") : esc(line));
    });
    return html.join("<br>");
  }

  // The parsed JSON of a json_script element, or null when the page has none.
  function data(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  // The chart of an element (created once) that follows the window's size.
  function chart(el) {
    if (!el || typeof echarts === "undefined") return null;
    var existing = echarts.getInstanceByDom(el);
    if (existing) return existing;
    var instance = echarts.init(el);
    window.addEventListener("resize", function () { if (!instance.isDisposed()) instance.resize(); });
    return instance;
  }

  window.Wuwei = window.Wuwei || {};
  window.Wuwei.esc = esc;
  window.Wuwei.text = text;
  window.Wuwei.tip = tip;
  window.Wuwei.data = data;
  window.Wuwei.chart = chart;
})();
