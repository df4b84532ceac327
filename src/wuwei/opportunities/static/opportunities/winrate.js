// The win-rate curve on the deal page (METHOD.md §4.6): one ECharts line per
// [data-winrate-chart] element, fed by the JSON script named in its data-source. Tabs are
// htmx fragments loaded into hidden panes (zero width), so charts resize when shown. Stage names
// (editable in the stage template) reach the chart only through Wuwei.text / Wuwei.tip.
(function () {
  "use strict";

  function render(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || typeof echarts === "undefined" || !window.Wuwei) return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.getInstanceByDom(el) || echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 48, top: 28, bottom: 28 },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var point = items[0];
          if (!point) return "";
          var value = point.value == null ? "—" : point.value + " %";
          var moves = data.stages.filter(function (s) { return s.week === point.name; })
            .map(function (s) { return "→ " + s.label; });
          return Wuwei.tip(point.name, [[data.label + ":", value]].concat(moves));
        },
      },
      xAxis: { type: "category", data: data.weeks, boundaryGap: false },
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
          data: data.stages.map(function (s) { return { xAxis: s.week, name: s.label }; })
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
