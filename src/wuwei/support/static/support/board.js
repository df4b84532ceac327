// The delivery-centre load heat map (METHOD.md §5): one row per presales person, one column
// per ISO week, the cell = booked days as % of capacity. Person names are user values: the
// tooltip escapes them through Wuwei.tip, the axis draws them as plain canvas text.
(function () {
  "use strict";
  var el = document.getElementById("load-heatmap");
  if (!el || !window.Wuwei) return;
  var data = Wuwei.data("load-heatmap-data");
  if (Wuwei.empty(el, !data.people.length || !data.weeks.length)) return;
  var chart = Wuwei.chart(el);
  chart.setOption({
    animation: false,
    tooltip: {
      position: "top",
      formatter: function (p) {
        return Wuwei.tip(data.people[p.value[1]], [[data.weeks[p.value[0]] + ":", p.value[2] + " %"]]);
      },
    },
    grid: { left: 140, right: 20, top: 10, bottom: 60 },
    xAxis: { type: "category", data: data.weeks, splitArea: { show: true } },
    yAxis: { type: "category", data: data.people, splitArea: { show: true }, inverse: true,
      axisLabel: { formatter: Wuwei.text } },
    visualMap: { min: 0, max: 120, calculable: true, orient: "horizontal", left: "center", bottom: 0,
      inRange: { color: ["#f1f8e9", "#9ccc65", "#fbc02d", "#e53935"] } },
    series: [{ name: "load", type: "heatmap", data: data.cells,
      label: { show: true, formatter: function (p) { return p.value[2] ? String(Math.round(p.value[2])) : ""; } } }],
  });
})();
