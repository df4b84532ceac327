// The nine-box (METHOD.md §2.3): every visible graded account as a dot on contribution ×
// potential, coloured by class A–D; a click opens the account. Data and labels come from the
// page's JSON scripts; the tooltip is built by Wuwei.tip, which escapes the account name.
// Each cell shows how many accounts sit in it, and dots that would hide each other are spread
// inside their cell (Wuwei.spread, deterministic); the tooltip keeps the true scores.
(function () {
  "use strict";
  var el = document.getElementById("ninebox-chart");
  if (!el || !window.Wuwei) return;
  var points = Wuwei.data("ninebox-data");
  var cuts = Wuwei.data("ninebox-cuts");
  var labels = Wuwei.data("ninebox-labels");
  if (Wuwei.empty(el, !points.length)) return;
  var colors = { A: "#198754", B: "#0d6efd", C: "#fd7e14", D: "#6c757d" };
  var GRID = { left: 60, right: 20, top: 40, bottom: 50 };
  var DOT = 14;
  var chart = Wuwei.chart(el);

  // One dot in axis units, from the drawing area's size in pixels.
  function dotSize() {
    var width = Math.max(chart.getWidth() - GRID.left - GRID.right, 50);
    var height = Math.max(chart.getHeight() - GRID.top - GRID.bottom, 50);
    return { x: (DOT + 2) * 100 / width, y: (DOT + 2) * 100 / height };
  }

  // The count of each cell as a label in its top-right corner (an invisible series, no legend).
  function cellSeries() {
    var counts = Wuwei.cellCounts(points.map(function (p) {
      return { x: p.contribution, y: p.potential };
    }), cuts);
    var areas = [];
    [0, 1, 2].forEach(function (row) {
      [0, 1, 2].forEach(function (column) {
        var xs = Wuwei.levelBounds(column, cuts), ys = Wuwei.levelBounds(row, cuts);
        areas.push([
          { xAxis: xs[0], yAxis: ys[0], count: counts[row][column], cell: [column, row] },
          { xAxis: xs[1], yAxis: ys[1] },
        ]);
      });
    });
    return {
      name: "cells", type: "scatter", data: [], silent: true, tooltip: { show: false }, z: 5,
      markArea: {
        silent: true, itemStyle: { color: "transparent" },
        label: {
          show: true, position: "insideTopRight", distance: 3, color: "#343a40", fontWeight: "bold",
          fontSize: 12, backgroundColor: "rgba(255, 255, 255, 0.9)", borderColor: "#ced4da",
          borderWidth: 1, borderRadius: 8, padding: [2, 6],
          formatter: function (p) { return Wuwei.text(p.data.count); },
        },
        data: areas,
      },
    };
  }

  function option() {
    var shown = Wuwei.spread(points.map(function (p) {
      return { x: p.contribution, y: p.potential };
    }), cuts, dotSize());
    var series = ["A", "B", "C", "D"].map(function (cls) {
      var data = [];
      points.forEach(function (p, i) {
        if (p["class"] !== cls) return;
        data.push({ value: [shown[i].x, shown[i].y], name: p.name, id: p.id, url: p.url,
          grade: p.grade, score: p.score, potential: p.potential, contribution: p.contribution });
      });
      return { name: cls, type: "scatter", symbolSize: DOT, itemStyle: { color: colors[cls],
        borderColor: "#fff", borderWidth: 1 }, data: data };
    });
    series[0].markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#adb5bd" },
      label: { show: false },
      data: [{ xAxis: cuts.medium }, { xAxis: cuts.high }, { yAxis: cuts.medium }, { yAxis: cuts.high }] };
    series.push(cellSeries());
    return {
      animation: false,
      legend: { top: 0, data: ["A", "B", "C", "D"] },
      grid: GRID,
      tooltip: {
        formatter: function (p) {
          if (!p.data || p.data.id === undefined) return "";
          return Wuwei.tip(p.data.name, [
            [labels.grade, p.data.grade, "(" + p.data.score + ")"],
            [labels.contribution + ":", p.data.contribution, "·", labels.potential + ":", p.data.potential],
          ]);
        },
      },
      xAxis: { name: labels.contribution, nameLocation: "middle", nameGap: 30, min: 0, max: 100, splitLine: { show: false } },
      yAxis: { name: labels.potential, nameLocation: "middle", nameGap: 40, min: 0, max: 100, splitLine: { show: false } },
      series: series,
    };
  }

  chart.setOption(option(), true);
  // The spread depends on the drawing's size: lay the dots out again after a resize.
  window.addEventListener("resize", function () { if (!chart.isDisposed()) chart.setOption(option(), true); });
  chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
})();
