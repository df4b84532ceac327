// The segment report's bar chart: actual rate against the reference per segment. The data
// comes from json_script and holds only translated fixed labels and numbers; tooltips are
// escaped anyway (Wuwei.esc), since ECharts renders them as HTML. No rate at all: Wuwei.empty.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("segment-chart");
  var source = document.getElementById("segment-chart-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var hasValue = data && data.series.some(function (s) {
    return s.data.some(function (value) { return value !== null && value !== undefined; });
  });
  if (!window.Wuwei || Wuwei.empty(holder, !hasValue)) return;
  var encode = Wuwei.esc;
  var chart = Wuwei.chart(holder);
  chart.setOption({
    animation: false,
    tooltip: {
      trigger: "axis",
      formatter: function (items) {
        var lines = [encode(items[0].axisValueLabel)];
        items.forEach(function (item) {
          var value = item.value === null || item.value === undefined ? "—" : item.value + " %";
          lines.push(encode(item.seriesName) + ": " + encode(String(value)));
        });
        return lines.join("<br>");
      },
    },
    legend: { data: data.series.map(function (s) { return s.name; }) },
    grid: { left: 40, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.categories },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value} %" } },
    series: data.series.map(function (s, index) {
      return { name: s.name, type: "bar", data: s.data, itemStyle: index ? { opacity: 0.45 } : {} };
    }),
  });
});
