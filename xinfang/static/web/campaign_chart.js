// 挂图作战: the wall chart of a backlog campaign. The figures come from the page
// (json_script "campaign-chart-data"); the same figures are in the table below the charts.
(function () {
  "use strict";
  var node = document.getElementById("campaign-chart-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var font = {fontFamily: "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"};

  var unitEl = document.getElementById("unit-chart");
  if (unitEl) {
    var unitChart = echarts.init(unitEl, null, {renderer: "svg"});
    unitChart.setOption({
      textStyle: font,
      animation: false,
      tooltip: {trigger: "axis"},
      legend: {top: 0, data: ["挂牌积案", "已销号", "按序时进度应销号"]},
      grid: {left: 48, right: 24, top: 40, bottom: 80},
      xAxis: {type: "category", data: data.units, axisLabel: {interval: 0, rotate: data.units.length > 5 ? 30 : 0, fontSize: 13}},
      yAxis: {type: "value", name: "件", minInterval: 1},
      series: [
        {name: "挂牌积案", type: "bar", data: data.total, itemStyle: {color: "#9fb7d9"}, barGap: "0%",
         label: {show: true, position: "top"}},
        {name: "已销号", type: "bar", data: data.cleared, itemStyle: {color: "#2e7d32"}, label: {show: true, position: "top"}},
        {name: "按序时进度应销号", type: "line", data: data.expected, symbol: "diamond", symbolSize: 10,
         lineStyle: {color: "#d32f2f", width: 3}, itemStyle: {color: "#d32f2f"}, z: 5}
      ]
    });
    window.addEventListener("resize", function () { unitChart.resize(); });
  }

  var overallEl = document.getElementById("overall-chart");
  if (overallEl) {
    var overallChart = echarts.init(overallEl, null, {renderer: "svg"});
    var behind = data.overall_rate < data.time_share;
    overallChart.setOption({
      textStyle: font,
      animation: false,
      grid: {left: 80, right: 48, top: 20, bottom: 40},
      xAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
      yAxis: {type: "category", data: ["序时进度", "化解率"], axisLabel: {fontSize: 14}},
      series: [{
        type: "bar", barWidth: 32,
        data: [{value: data.time_share, itemStyle: {color: "#90a4ae"}},
               {value: data.overall_rate, itemStyle: {color: behind ? "#d32f2f" : "#2e7d32"}}],
        label: {show: true, position: "right", formatter: "{c}%", fontSize: 14, fontWeight: "bold"},
        markLine: {symbol: "none", lineStyle: {color: "#d32f2f", type: "dashed", width: 2},
                   label: {formatter: "时间进度 {c}%"}, data: [{xAxis: data.time_share}]}
      }]
    });
    window.addEventListener("resize", function () { overallChart.resize(); });
  }
})();
