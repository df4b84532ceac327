// The segment report's bar chart: actual rate against the reference per segment. The data
// comes from json_script and holds only translated fixed labels and numbers; tooltips are
// encoded anyway, since ECharts renders them as HTML.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("segment-chart");
  var source = document.getElementById("segment-chart-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  if (!data) return;
  var encode = echarts.format.encodeHTML;
  var chart = echarts.init(holder);
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
  window.addEventListener("resize", function () { chart.resize(); });
});
