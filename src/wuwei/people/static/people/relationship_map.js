// The account relationship map (METHOD.md §3): an org chart drawn with ECharts.
// Node colour = relationship status (ours or the chosen competitor's), size = influence,
// badge = interaction level, border and legend = circle; solid edges = reporting lines,
// dashed = "influences". Clicking a node opens its persona editor (htmx); after a save the
// map reloads the same JSON the API serves (/api/v1/accounts/{id}/relationship-map).
// Names, titles and circles are user values: tooltips escape them through Wuwei.tip.
(function () {
  "use strict";
  var el = document.getElementById("relationship-map");
  if (!el || typeof echarts === "undefined" || !window.Wuwei) return;
  var labels = JSON.parse(document.getElementById("map-labels").textContent);
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var apiUrl = el.dataset.apiUrl;
  var personaUrl = el.dataset.personaUrl; // ".../contacts/0/persona/"
  var viewSelect = document.getElementById("map-view");
  var chart = null;
  var STATUS_COLORS = {
    strong_positive: "#1a7f37",
    positive: "#74c365",
    neutral: "#9aa4ae",
    negative: "#f08c00",
    strong_negative: "#d62828",
    unknown: "#ffffff",
  };
  var BADGES = { none: "○", occasional: "◔", multiple: "◑", deep: "●" };
  var CIRCLE_COLORS = ["#0d6efd", "#6f42c1", "#d63384", "#20c997", "#fd7e14", "#0dcaf0",
    "#6610f2", "#198754", "#ffc107", "#adb5bd"];
  var PAD = { top: 70, bottom: 70, left: 80, right: 80 };

  function view() { return viewSelect ? viewSelect.value : "us"; }

  // Status and interaction of a node in the chosen view (us, or one competitor).
  function standing(node) {
    var current = view();
    if (current === "us") {
      return { status: node.relationship_status, level: node.interaction_level };
    }
    for (var i = 0; i < node.competitors.length; i++) {
      if (String(node.competitors[i].competitor) === current) {
        return { status: node.competitors[i].status, level: node.competitors[i].interaction_level };
      }
    }
    return { status: "unknown", level: null };
  }

  // A tidy org chart: leaves take consecutive slots, a manager sits above the middle of
  // their reports; siblings are grouped by circle, then by influence.
  function layout(nodes) {
    var byId = {}, children = {}, roots = [];
    nodes.forEach(function (n) { byId[n.id] = n; });
    nodes.forEach(function (n) {
      if (n.reports_to && byId[n.reports_to]) {
        (children[n.reports_to] = children[n.reports_to] || []).push(n);
      } else {
        roots.push(n);
      }
    });
    function order(a, b) {
      return (a.circle || "\uffff").localeCompare(b.circle || "\uffff") ||
        b.influence - a.influence || a.name.localeCompare(b.name);
    }
    roots.sort(order);
    Object.keys(children).forEach(function (k) { children[k].sort(order); });
    var next = 0, pos = {}, seen = {};
    function place(n, depth) {
      if (seen[n.id]) return;
      seen[n.id] = true;
      var kids = children[n.id] || [];
      kids.forEach(function (k) { place(k, depth + 1); });
      var xs = kids.filter(function (k) { return pos[k.id]; }).map(function (k) { return pos[k.id][0]; });
      var x = xs.length ? (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2 : next++;
      pos[n.id] = [x, depth];
    }
    roots.forEach(function (r) { place(r, 0); });
    nodes.forEach(function (n) { if (!pos[n.id]) pos[n.id] = [next++, n.depth]; });
    return pos;
  }

  function option() {
    var circles = data.circles;
    var categories = [{ name: labels.noCircle, itemStyle: { color: "#dee2e6" } }].concat(
      circles.map(function (c, i) {
        return { name: c, itemStyle: { color: CIRCLE_COLORS[i % CIRCLE_COLORS.length] } };
      })
    );
    var pos = layout(data.nodes);
    // ECharts stretches the data box onto the drawing box; positions in pixels of that box
    // (with two invisible corner anchors) keep the scale uniform, so circles stay round.
    var width = Math.max(el.clientWidth - PAD.left - PAD.right, 100);
    var height = Math.max(el.clientHeight - PAD.top - PAD.bottom, 100);
    var maxX = 0, maxY = 0;
    Object.keys(pos).forEach(function (k) {
      maxX = Math.max(maxX, pos[k][0]);
      maxY = Math.max(maxY, pos[k][1]);
    });
    var xStep = maxX ? width / maxX : 0, yStep = maxY ? height / maxY : 0;
    var xOffset = maxX ? 0 : width / 2, yOffset = maxY ? 0 : height / 2;
    var anchors = [[0, 0], [width, height]].map(function (xy, i) {
      return { id: "__anchor" + i, name: "", x: xy[0], y: xy[1], symbolSize: 0, silent: true,
        tooltip: { show: false }, label: { show: false }, itemStyle: { opacity: 0 } };
    });
    var nodes = data.nodes.map(function (n) {
      var s = standing(n);
      var circleIndex = n.circle ? circles.indexOf(n.circle) + 1 : 0;
      return {
        id: String(n.id),
        name: n.name,
        x: pos[n.id][0] * xStep + xOffset,
        y: pos[n.id][1] * yStep + yOffset,
        symbolSize: 16 + n.influence * 8,
        category: circleIndex,
        value: n.influence,
        status: s.status,
        level: s.level,
        contact: n,
        itemStyle: {
          color: STATUS_COLORS[s.status] || STATUS_COLORS.unknown,
          borderColor: circleIndex ? categories[circleIndex].itemStyle.color : "#6c757d",
          borderWidth: circleIndex ? 4 : 1,
        },
        label: {
          show: true,
          position: "bottom",
          // A function, not a template string: braces in a name are shown as typed.
          formatter: function () { return Wuwei.text(n.name) + (s.level ? " " + BADGES[s.level] : ""); },
        },
      };
    });
    var links = data.edges.map(function (e) {
      var influence = e.kind === "influences";
      return {
        source: String(e.source),
        target: String(e.target),
        kind: e.kind,
        symbol: ["none", "arrow"],
        symbolSize: influence ? 9 : 6,
        lineStyle: influence
          ? { type: "dashed", color: "#6f42c1", width: 2, curveness: 0.25 }
          : { type: "solid", color: "#adb5bd", width: 1.5, curveness: 0 },
      };
    });
    return {
      animation: false,
      legend: [{ data: categories.map(function (c) { return c.name; }), top: 0, left: 0,
        formatter: Wuwei.text }],
      tooltip: {
        formatter: function (p) {
          if (p.dataType === "edge") {
            return Wuwei.tip(null, [p.data.kind === "influences" ? labels.influences : labels.reportsTo]);
          }
          if (!p.data.contact) return "";
          var n = p.data.contact;
          return Wuwei.tip(n.name, [
            n.title,
            [labels.status[p.data.status] || labels.unknown].concat(
              p.data.level ? ["·", labels.interaction[p.data.level]] : []),
            [labels.influence + ":", n.influence].concat(
              n.circle ? ["·", labels.circle + ":", n.circle] : []),
            [labels.connections + ":", n.connections],
          ]);
        },
      },
      series: [{
        type: "graph",
        layout: "none",
        roam: true,
        draggable: true,
        top: PAD.top, bottom: PAD.bottom, left: PAD.left, right: PAD.right,
        nodeScaleRatio: 0, // keep circles round and sizes meaning "influence" at any zoom
        categories: categories,
        data: nodes.concat(anchors),
        links: links,
        edgeSymbol: ["none", "arrow"],
        emphasis: { focus: "adjacency" },
        labelLayout: { hideOverlap: false },
      }],
    };
  }

  function render() {
    if (Wuwei.empty(el, !data.nodes.length)) return;
    if (!chart || chart.isDisposed()) chart = newChart();
    chart.setOption(option(), { notMerge: true });
  }

  function showCloseness() {
    document.querySelectorAll("[data-closeness]").forEach(function (badge) {
      var key = badge.dataset.closeness, value = null;
      if (key === "us") value = data.closeness.us;
      data.closeness.competitors.forEach(function (c) {
        if (String(c.competitor) === key) value = c.value;
      });
      badge.textContent = value === null ? "—" : value.toFixed(1);
    });
  }

  function refresh() {
    return fetch(apiUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (fresh) { data = fresh; render(); showCloseness(); });
  }

  function openPersona(contactId) {
    var url = personaUrl.replace("/0/", "/" + contactId + "/");
    htmx.ajax("GET", url, { target: "#persona-panel", swap: "innerHTML" });
  }

  // On a touch screen a tap is the only pointer: the first tap on a person shows their
  // tooltip, a second tap on the same person opens their persona (scrolled into view, since
  // the panel sits below the map on a phone). With a mouse, hovering shows the tooltip and a
  // click opens the persona at once.
  var lastTouch = { pointer: "mouse", node: null };
  el.addEventListener("pointerdown", function (event) { lastTouch.pointer = event.pointerType; }, true);

  function onClick(p) {
    if (p.dataType !== "node" || !p.data.contact) return;
    if (lastTouch.pointer === "touch" && lastTouch.node !== p.data.id) {
      lastTouch.node = p.data.id;
      chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: p.dataIndex });
      return;
    }
    lastTouch.node = null;
    openPersona(p.data.id);
    if (lastTouch.pointer === "touch") {
      var panel = document.getElementById("persona-panel");
      if (panel && panel.scrollIntoView) panel.scrollIntoView({ block: "start" });
    }
  }

  function newChart() {
    var instance = echarts.init(el, null, { renderer: "canvas" });
    instance.on("click", onClick);
    // A tap on empty space forgets the tapped person (and hides the tooltip).
    instance.getZr().on("click", function (event) { if (!event.target) lastTouch.node = null; });
    return instance;
  }
  if (viewSelect) viewSelect.addEventListener("change", render);
  document.body.addEventListener("persona-saved", refresh);
  document.body.addEventListener("contact-created", refresh); // added in the drawer
  window.addEventListener("resize", function () { if (chart && !chart.isDisposed()) chart.resize(); render(); });
  render();
  window.wuweiMap = { chart: function () { return chart; }, refresh: refresh, openPersona: openPersona,
    data: function () { return data; } };
})();
