// The forecast and pipeline-analytics charts. Data comes from json_script elements
// (Wuwei.data); every value a tooltip shows goes through Wuwei.tip (escaped) and every canvas
// label through Wuwei.text, since rep names reach the team curves. Each chart has its table
// one click away (Bootstrap tabs); a chart in a tab shown later is resized when it appears.
(function () {
  "use strict";

  function number(value) {
    return value === null || value === undefined ? "—" : Number(value).toLocaleString();
  }

  function draw(id, option) {
    var el = document.getElementById(id);
    var chart = window.Wuwei.chart(el);
    if (!chart) return;
    chart.setOption(Object.assign({ animation: false }, option));
  }

  function axisTooltip(suffix) {
    return {
      trigger: "axis",
      formatter: function (items) {
        var title = items.length ? items[0].axisValueLabel : "";
        return window.Wuwei.tip(title, items.map(function (item) {
          return [item.seriesName + ":", number(item.value) + (suffix || "")];
        }));
      },
    };
  }

  function forecast() {
    var data = window.Wuwei.data("forecast-chart-data");
    if (!data) return;
    var bars = data.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.data };
    });
    bars.push({ name: data.previous.name, type: "line", data: data.previous.data, symbol: "diamond" });
    draw("forecast-chart", {
      tooltip: axisTooltip(""),
      legend: { data: bars.map(function (s) { return s.name; }), formatter: window.Wuwei.text },
      grid: { left: 80, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.categories, axisLabel: { formatter: window.Wuwei.text } },
      yAxis: { type: "value" },
      series: bars,
    });
  }

  function pipeline() {
    var data = window.Wuwei.data("pipeline-chart-data");
    if (!data) return;
    draw("funnel-chart", {
      tooltip: {
        trigger: "item",
        formatter: function (item) {
          return window.Wuwei.tip(item.name, [[number(item.value)], [number(item.data.amount)]]);
        },
      },
      series: [{
        type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "10%",
        label: { formatter: function (item) { return window.Wuwei.text(item.name) + " " + item.value; } },
        data: data.funnel.map(function (row) { return { name: row.name, value: row.value, amount: row.amount }; }),
      }],
    });
    draw("bands-chart", {
      tooltip: axisTooltip(""),
      grid: { left: 40, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "category", data: data.bands.categories, axisLabel: { rotate: 30, formatter: window.Wuwei.text } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: data.bands.deals_name, type: "bar", data: data.bands.deals }],
    });
  }

  // The team curves come after the page (insights:pipeline_curves, an htmx swap).
  function curves() {
    var curves = window.Wuwei.data("pipeline-curves-data");
    if (!curves || !document.getElementById("curves-chart")) return;
    draw("curves-chart", {
      tooltip: axisTooltip(" %"),
      legend: { type: "scroll", data: curves.series.map(function (s) { return s.name; }), formatter: window.Wuwei.text },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: curves.weeks },
      yAxis: { type: "value", min: 0, max: 100 },
      series: curves.series.map(function (s) {
        return {
          name: s.name, type: "line", data: s.data, connectNulls: true,
          lineStyle: s.team ? { width: 4 } : { width: 1.5 },
        };
      }),
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Wuwei || typeof echarts === "undefined") return;
    forecast();
    pipeline();
    curves();
    document.body.addEventListener("htmx:afterSettle", function () {
      var el = document.getElementById("curves-chart");
      if (el && !echarts.getInstanceByDom(el)) curves();
    });
    document.addEventListener("shown.bs.tab", function (event) {
      var target = document.querySelector(event.target.getAttribute("data-bs-target"));
      if (!target) return;
      target.querySelectorAll(".ww-chart").forEach(function (el) {
        var chart = echarts.getInstanceByDom(el);
        if (chart) chart.resize();
      });
    });
  });
})();
