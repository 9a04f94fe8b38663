// Statistics dashboard charts, drawn by the one chart helper (static/ganxun/charts.js). Data comes
// from the json_script element "stats-data" (built by ganxun/stats/charts.py from the same rows as
// the tables), so the page has no inline script. Clicking a unit's bar drills down to that unit,
// like the links in the table.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("stats-data");
  if (!source || !window.gxChart) return;
  const data = JSON.parse(source.textContent);
  const chart = window.gxChart;

  chart.category("chart-units", {
    labels: data.units.labels,
    series: [
      { name: "参训人次", type: "bar", data: data.units.person_times },
      { name: "覆盖率", type: "line", axis: 1, data: data.units.coverage, unit: "%" },
    ],
    axes: [{}, { min: 0, max: 100, unit: "%" }],
    onClick: (index) => {
      const url = data.units.urls[index];
      if (url) window.location.assign(url);
    },
  });
  chart.category("chart-channels", {
    labels: data.channels.labels,
    series: [
      { name: "参训人次", type: "bar", data: data.channels.person_times },
      { name: "到课人次", type: "bar", data: data.channels.attendances },
    ],
  });
  chart.pie("chart-forms", {
    labels: data.forms.labels.map((name, i) => (data.forms.interactive[i] ? `${name}（互动）` : name)),
    values: data.forms.sessions,
    format: "{b}：{c} 次（{d}%）",
  });
  if (data.satisfaction) {
    chart.category("chart-satisfaction", {
      labels: data.satisfaction.months,
      series: [{ name: "平均分", type: "line", data: data.satisfaction.means }],
      axes: [{ min: 1, max: 5 }],
    });
  }
});
