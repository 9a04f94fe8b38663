// Statistics dashboard charts, drawn by the one chart helper (static/ganxun/charts.js). Data comes
// from the json_script element "stats-data" (built by ganxun/stats/charts.py from the same rows as
// the tables), so the page has no inline script. Series names come from the chart element's data-
// attributes, translated by the page. Clicking a unit's bar drills down to that unit,
// like the links in the table.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("stats-data");
  if (!source || !window.gxChart) return;
  const data = JSON.parse(source.textContent);
  const chart = window.gxChart;
  const words = (id) => document.getElementById(id)?.dataset || {};
  const units = words("chart-units");
  const channels = words("chart-channels");
  const forms = words("chart-forms");

  chart.category("chart-units", {
    labels: data.units.labels,
    series: [
      { name: units.personTimes, type: "bar", data: data.units.person_times },
      { name: units.coverage, type: "line", axis: 1, data: data.units.coverage, unit: "%" },
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
      { name: channels.personTimes, type: "bar", data: data.channels.person_times },
      { name: channels.attendances, type: "bar", data: data.channels.attendances },
    ],
  });
  chart.pie("chart-forms", {
    labels: data.forms.labels.map((name, i) => (data.forms.interactive[i] ? `${name}${forms.interactive}` : name)),
    values: data.forms.sessions,
    format: forms.format,
  });
  if (data.satisfaction) {
    chart.category("chart-satisfaction", {
      labels: data.satisfaction.months,
      series: [{ name: words("chart-satisfaction").mean, type: "line", data: data.satisfaction.means }],
      axes: [{ min: 1, max: 5 }],
    });
  }
});
