// Evaluation charts: mean per question, distribution of 1–5 per question, trend per month —
// drawn by the one chart helper (static/ganxun/charts.js). The data comes from the json_script
// element "eval-chart-data" (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("eval-chart-data");
  if (!source || !window.gxChart) return;
  const data = JSON.parse(source.textContent);
  const chart = window.gxChart;
  chart.category("eval-means", {
    title: "各题平均分",
    labels: data.questions || [],
    series: [{ name: "平均分", type: "bar", data: data.means || [] }],
    axes: [{ min: 0, max: 5 }],
  });
  chart.category("eval-dist", {
    title: "评分分布（人数）",
    labels: data.questions || [],
    series: [1, 2, 3, 4, 5].map((score, i) => ({
      name: `${score}分`,
      type: "bar",
      stack: "total",
      data: (data.distribution || []).map((row) => row[i]),
    })),
  });
  const trend = data.trend || [];
  chart.category("eval-trend", {
    title: "按月平均分",
    labels: trend.map((m) => m.month),
    series: [
      { name: "平均分", type: "line", data: trend.map((m) => m.mean) },
      { name: "份数", type: "bar", axis: 1, data: trend.map((m) => m.responses) },
    ],
    axes: [{ min: 1, max: 5, name: "平均分" }, { name: "份数" }],
  });
});
