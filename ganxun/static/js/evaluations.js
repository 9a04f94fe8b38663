// Evaluation charts: mean per question, distribution of 1–5 per question, trend per month.
// The data comes from the json_script element "eval-chart-data" (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("eval-chart-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const charts = [];
  const draw = (id, option) => {
    const target = document.getElementById(id);
    if (!target) return;
    const chart = window.echarts.init(target);
    chart.setOption(option);
    charts.push(chart);
  };
  draw("eval-means", {
    title: { text: "各题平均分", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 12, top: 40, bottom: 40 },
    xAxis: { type: "category", data: data.questions, axisLabel: { interval: 0 } },
    yAxis: { type: "value", min: 0, max: 5 },
    series: [{ type: "bar", data: data.means, label: { show: true, position: "top" } }],
  });
  draw("eval-dist", {
    title: { text: "评分分布（人数）", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    legend: { top: 20 },
    grid: { left: 40, right: 12, top: 56, bottom: 40 },
    xAxis: { type: "category", data: data.questions, axisLabel: { interval: 0 } },
    yAxis: { type: "value" },
    series: [1, 2, 3, 4, 5].map((score, i) => ({
      name: `${score}分`,
      type: "bar",
      stack: "total",
      data: data.distribution.map((row) => row[i]),
    })),
  });
  if (data.trend && data.trend.length) {
    draw("eval-trend", {
      title: { text: "按月平均分", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 40, top: 40, bottom: 40 },
      xAxis: { type: "category", data: data.trend.map((m) => m.month) },
      yAxis: [
        { type: "value", min: 1, max: 5, name: "平均分" },
        { type: "value", name: "份数" },
      ],
      series: [
        { name: "平均分", type: "line", data: data.trend.map((m) => m.mean) },
        { name: "份数", type: "bar", yAxisIndex: 1, data: data.trend.map((m) => m.responses), itemStyle: { opacity: 0.3 } },
      ],
    });
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
});
