// Cross-tab chart: groups on the axis, one bar per answer option, values in percent.
// The data comes from a json_script element, so the page needs no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("crosstab-data");
  const target = document.getElementById("crosstab-chart");
  if (!source || !target || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const chart = window.echarts.init(target);
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: (v) => `${v}%` },
    legend: { type: "scroll", top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 64 },
    xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: data.groups.length > 5 ? 30 : 0 } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: data.series.map((s) => ({ name: s.name, type: "bar", data: s.data })),
  });
  window.addEventListener("resize", () => chart.resize());
});
