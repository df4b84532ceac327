// The scorecard's radar (道术本势律): one polygon for the team and one per rep. The data comes
// from json_script; rep names are user values, so the legend and tooltips show them through
// Wuwei.text (canvas) and Wuwei.tip (HTML, escaped). An axis without data is drawn at 0 and
// said to be "no data" in the tooltip.
document.addEventListener("DOMContentLoaded", function () {
  var data = window.Wuwei && Wuwei.data("scorecard-chart-data");
  var holder = document.getElementById("scorecard-chart");
  if (!data || !holder) return;
  var chart = Wuwei.chart(holder);
  if (!chart) return;
  chart.setOption({
    animation: false,
    legend: { type: "scroll", bottom: 0, formatter: function (name) { return Wuwei.text(name); } },
    tooltip: {
      trigger: "item",
      formatter: function (item) {
        var values = data.series[item.dataIndex].values;
        return Wuwei.tip(item.name, data.axes.map(function (axis, i) {
          return [axis + ":", values[i] === null ? data.no_data : values[i]];
        }));
      },
    },
    radar: {
      indicator: data.axes.map(function (axis) { return { name: axis, max: 100 }; }),
      radius: "62%",
      axisName: { formatter: function (name) { return Wuwei.text(name); } },
    },
    series: [{
      type: "radar",
      data: data.series.map(function (s, index) {
        return {
          name: s.name,
          value: s.values.map(function (v) { return v === null ? 0 : v; }),
          areaStyle: index === 0 ? { opacity: 0.15 } : undefined,
          lineStyle: index === 0 ? { width: 3 } : { width: 1 },
        };
      }),
    }],
  });
});
