// Evaluation charts: mean per question, distribution of 1–5 per question, trend per month —
// drawn by the one chart helper (static/ganxun/charts.js). The data comes from the json_script
// element "eval-chart-data" (no inline script); titles and series names from each chart element's
// data- attributes, translated by the page.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("eval-chart-data");
  if (!source || !window.gxChart) return;
  const data = JSON.parse(source.textContent);
  const chart = window.gxChart;
  const words = (id) => document.getElementById(id)?.dataset || {};
  const means = words("eval-means");
  const dist = words("eval-dist");
  const trendWords = words("eval-trend");
  chart.category("eval-means", {
    title: means.title,
    labels: data.questions || [],
    series: [{ name: means.mean, type: "bar", data: data.means || [] }],
    axes: [{ min: 0, max: 5 }],
  });
  chart.category("eval-dist", {
    title: dist.title,
    labels: data.questions || [],
    series: [1, 2, 3, 4, 5].map((score, i) => ({
      name: (dist.score || "{score}").replace("{score}", score),
      type: "bar",
      stack: "total",
      data: (data.distribution || []).map((row) => row[i]),
    })),
  });
  const trend = data.trend || [];
  chart.category("eval-trend", {
    title: trendWords.title,
    labels: trend.map((m) => m.month),
    series: [
      { name: trendWords.mean, type: "line", data: trend.map((m) => m.mean) },
      { name: trendWords.count, type: "bar", axis: 1, data: trend.map((m) => m.responses) },
    ],
    axes: [{ min: 1, max: 5, name: trendWords.mean }, { name: trendWords.count }],
  });
});
