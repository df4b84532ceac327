// The nine-box (METHOD.md §2.3): every visible graded account as a dot on contribution ×
// potential, coloured by class A–D; a click opens the account. Data and labels come from the
// page's JSON scripts; the tooltip is built by Wuwei.tip, which escapes the account name.
(function () {
  "use strict";
  var el = document.getElementById("ninebox-chart");
  if (!el || !window.Wuwei) return;
  var points = Wuwei.data("ninebox-data");
  var cuts = Wuwei.data("ninebox-cuts");
  var labels = Wuwei.data("ninebox-labels");
  var colors = { A: "#198754", B: "#0d6efd", C: "#fd7e14", D: "#6c757d" };
  var chart = Wuwei.chart(el);
  var series = ["A", "B", "C", "D"].map(function (cls) {
    return {
      name: cls, type: "scatter", symbolSize: 14, itemStyle: { color: colors[cls] },
      data: points.filter(function (p) { return p["class"] === cls; }).map(function (p) {
        return { value: [p.contribution, p.potential], name: p.name, id: p.id, url: p.url,
          grade: p.grade, score: p.score };
      }),
    };
  });
  series[0].markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#adb5bd" },
    label: { show: false },
    data: [{ xAxis: cuts.medium }, { xAxis: cuts.high }, { yAxis: cuts.medium }, { yAxis: cuts.high }] };
  chart.setOption({
    animation: false,
    legend: { top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 50 },
    tooltip: {
      formatter: function (p) {
        if (!p.data || p.data.id === undefined) return "";
        return Wuwei.tip(p.data.name, [[labels.grade, p.data.grade, "(" + p.data.score + ")"]]);
      },
    },
    xAxis: { name: labels.contribution, nameLocation: "middle", nameGap: 30, min: 0, max: 100, splitLine: { show: false } },
    yAxis: { name: labels.potential, nameLocation: "middle", nameGap: 40, min: 0, max: 100, splitLine: { show: false } },
    series: series,
  });
  chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
})();
