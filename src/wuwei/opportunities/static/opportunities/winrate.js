// The win-rate curve on the deal page (METHOD.md §4.6): one ECharts line per
// [data-winrate-chart] element, fed by the JSON script named in its data-source. Tabs are
// htmx fragments loaded into hidden panes (zero width), so charts resize when shown. Stage names
// (editable in the stage template) reach the chart only through Wuwei.text / Wuwei.tip. The
// x-axis shows ISO weeks with their Mondays; stage moves of one week share one marker
// (Wuwei.groupByWeek) whose tooltip lists them; a deal without points says so (Wuwei.empty).
(function () {
  "use strict";

  // "2026-W23" + "2026-06-01" → the axis label "W23" over "06-01"; the year is added to the
  // first label and wherever it changes, so a curve across New Year stays readable.
  function axisLabel(data) {
    return function (week, index) {
      var start = data.starts[index] || "";
      var previous = index > 0 ? data.starts[index - 1] || "" : "";
      var withYear = index === 0 || previous.slice(0, 4) !== start.slice(0, 4);
      return Wuwei.text((withYear ? week : week.slice(5)) + "\n" + (withYear ? start : start.slice(5)));
    };
  }

  // One marker per week that saw stage moves: the last stage entered, "+n" for the others;
  // the tooltip of that week lists every move with its date.
  function markers(groups) {
    return groups.map(function (group) {
      var last = group.moves[group.moves.length - 1];
      var more = group.moves.length - 1;
      return { xAxis: group.week, name: last.label + (more ? " +" + more : ""), moves: group.moves.length };
    });
  }

  function render(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || typeof echarts === "undefined" || !window.Wuwei) return;
    var data = JSON.parse(source.textContent);
    var rated = data.values.some(function (value) { return value !== null && value !== undefined; });
    if (Wuwei.empty(el, !rated)) return;
    var groups = Wuwei.groupByWeek(data.stages);
    var chart = echarts.getInstanceByDom(el) || echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 48, top: 28, bottom: 40 },
      tooltip: {
        trigger: "axis",
        confine: true,
        formatter: function (items) {
          var point = items[0];
          if (!point) return "";
          var value = point.value == null ? "—" : point.value + " %";
          var start = data.starts[point.dataIndex];
          var moves = [];
          groups.forEach(function (group) {
            if (group.week !== point.name) return;
            group.moves.forEach(function (move) { moves.push(["→", move.label, "(" + move.date + ")"]); });
          });
          return Wuwei.tip(point.name + (start ? " · " + start : ""), [[data.label + ":", value]].concat(moves));
        },
      },
      xAxis: { type: "category", data: data.weeks, boundaryGap: false,
        axisLabel: { formatter: axisLabel(data), hideOverlap: true } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
      series: [{
        name: data.label,
        type: "line",
        data: data.values,
        connectNulls: false,
        symbolSize: 7,
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { type: "dashed", color: "#adb5bd" },
          label: { formatter: function (p) { return Wuwei.text(p.name); }, position: "end", fontSize: 11, color: "#6c757d" },
          data: markers(groups)
        }
      }]
    }, true);
  }

  function renderAll(root) {
    var found = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll("[data-winrate-chart]")) : [];
    if (root.matches && root.matches("[data-winrate-chart]")) found.push(root);
    found.forEach(render);
  }

  function resizeAll(root) {
    (root || document).querySelectorAll("[data-winrate-chart]").forEach(function (el) {
      var chart = typeof echarts === "undefined" ? null : echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); } else { render(el); }
    });
  }

  htmx.onLoad(renderAll);
  document.addEventListener("shown.bs.tab", function (event) {
    var pane = document.querySelector(event.target.getAttribute("data-bs-target"));
    if (pane) resizeAll(pane);
  });
  window.addEventListener("resize", function () { resizeAll(document); });
})();
