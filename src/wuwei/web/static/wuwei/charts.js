// Shared chart helpers for every ECharts page (nine-box, load heat map, win-rate curve,
// relationship map, segment report): escaping, the "no data" note, and the pure layout helpers
// (stage moves grouped by week, nine-box dots spread inside their cell). ECharts renders tooltips as HTML, so a user value (an account name, a
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

  // ---- Charts with nothing to draw ------------------------------------------------------
  // An empty chart says so instead of drawing bare axes. The message is the chart element's
  // data-empty attribute (translated in the template). Returns true when the chart is empty,
  // so a page writes `if (Wuwei.empty(el, !rows.length)) return;` before drawing.
  function empty(el, isEmpty) {
    if (!el) return true;
    var note = el.querySelector(":scope > .ww-chart-empty-note");
    if (!isEmpty) {
      if (note) note.remove();
      el.classList.remove("ww-chart-empty");
      return false;
    }
    var existing = typeof echarts === "undefined" ? null : echarts.getInstanceByDom(el);
    if (existing) existing.dispose();
    el.classList.add("ww-chart-empty");
    if (!note) {
      note = document.createElement("div");
      note.className = "ww-chart-empty-note";
      note.setAttribute("data-testid", "chart-empty");
      el.appendChild(note);
    }
    note.textContent = el.getAttribute("data-empty") || "—";
    return true;
  }

  // ---- Win-rate curve: stage moves grouped by ISO week -------------------------------------
  // [{week, label, date}] (in the order they happened) → one group per week, in order of first
  // appearance: [{week, moves: [{label, date}, …]}]. Several moves in one week become one
  // marker whose tooltip lists them all, instead of labels drawn on top of each other.
  function groupByWeek(moves) {
    var groups = [], byWeek = {};
    (moves || []).forEach(function (move) {
      var group = byWeek[move.week];
      if (!group) {
        group = byWeek[move.week] = { week: move.week, moves: [] };
        groups.push(group);
      }
      group.moves.push({ label: move.label, date: move.date });
    });
    return groups;
  }

  // ---- Nine-box: dots that would sit on top of each other are spread inside their cell ----
  // The cell index (0 low, 1 medium, 2 high) of an axis score, with the cuts of the grading:
  // ≥ high is high, ≥ medium is medium (methodology.ninebox.level_for_score).
  function level(score, cuts) {
    if (score >= cuts.high) return 2;
    if (score >= cuts.medium) return 1;
    return 0;
  }

  // The bounds [from, to] of an axis level on the 0–100 scale.
  function levelBounds(index, cuts) {
    return [[0, cuts.medium], [cuts.medium, cuts.high], [cuts.high, 100]][index];
  }

  var GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
  var SPIRAL = 0.7; // spiral spacing in dots

  // points [{x, y}] on 0–100 axes → the positions to draw them at, same order. `dot` is the
  // size of one dot in axis units ({x, y}: the axes may have different scales). Points of a
  // cell less than a dot apart are gathered in a cluster, drawn as a sunflower spiral (golden
  // angle, radius growing with √k, neighbours at least one dot apart) around the cluster's
  // first point; a cluster near an edge moves inwards so the spiral stays inside its cell.
  // Deterministic: the same points in the same order always land in the same places, so the
  // picture does not move between visits. The true values stay in the data for tooltips.
  function spread(points, cuts, dot) {
    var clusters = {}, placed = points.map(function (point) {
      var column = level(point.x, cuts), row = level(point.y, cuts);
      var key = [column, row, Math.round(point.x / dot.x), Math.round(point.y / dot.y)].join(":");
      var cluster = clusters[key] = clusters[key] || { x: point.x, y: point.y, size: 0 };
      return { cluster: cluster, k: cluster.size++, column: column, row: row };
    });
    return placed.map(function (p) {
      var n = p.cluster.size;
      // Vogel's spiral: radius SPIRAL·√(k + ½); neighbours end up ≥ 1.08 dots apart.
      var reach = n > 1 ? SPIRAL * Math.sqrt(n - 0.5) + 0.5 : 0.5; // outermost dot's edge
      var cx = inside(p.cluster.x, levelBounds(p.column, cuts), reach * dot.x);
      var cy = inside(p.cluster.y, levelBounds(p.row, cuts), reach * dot.y);
      var radius = n > 1 ? SPIRAL * Math.sqrt(p.k + 0.5) : 0, angle = p.k * GOLDEN_ANGLE;
      return { x: cx + radius * Math.cos(angle) * dot.x, y: cy + radius * Math.sin(angle) * dot.y,
        column: p.column, row: p.row };
    });
  }

  // A centre kept `margin` away from both ends of [from, to] (the middle when it cannot be).
  function inside(value, bounds, margin) {
    if (bounds[1] - bounds[0] <= 2 * margin) return (bounds[0] + bounds[1]) / 2;
    return Math.min(Math.max(value, bounds[0] + margin), bounds[1] - margin);
  }

  // How many points fall in each cell: counts[row][column], rows and columns low → high.
  function cellCounts(points, cuts) {
    var counts = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    points.forEach(function (point) { counts[level(point.y, cuts)][level(point.x, cuts)] += 1; });
    return counts;
  }

  window.Wuwei = window.Wuwei || {};
  window.Wuwei.empty = empty;
  window.Wuwei.groupByWeek = groupByWeek;
  window.Wuwei.spread = spread;
  window.Wuwei.cellCounts = cellCounts;
  window.Wuwei.levelBounds = levelBounds;
  window.Wuwei.esc = esc;
  window.Wuwei.text = text;
  window.Wuwei.tip = tip;
  window.Wuwei.data = data;
  window.Wuwei.chart = chart;
})();
