// Statistics dashboard charts. Data comes from the json_script element "stats-data" (built by
// ganxun/stats/charts.py from the same rows as the tables), so the page has no inline script.
// Clicking a unit's bar drills down to that unit, like the links in the table.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("stats-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const charts = [];

  function draw(id, option) {
    const target = document.getElementById(id);
    if (!target) return null;
    const chart = window.echarts.init(target);
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function bars(labels, series, extra = {}) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 56, right: 48, top: 36, bottom: 72 },
      xAxis: {
        type: "category",
        data: labels,
        axisLabel: { interval: 0, rotate: labels.length > 5 ? 35 : 0 },
      },
      yAxis: [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }],
      series,
      ...extra,
    };
  }

  const units = draw(
    "chart-units",
    bars(data.units.labels, [
      { name: "参训人次", type: "bar", data: data.units.person_times },
      { name: "覆盖率", type: "line", yAxisIndex: 1, data: data.units.coverage },
    ]),
  );
  if (units) {
    units.on("click", (event) => {
      const url = data.units.urls[event.dataIndex];
      if (url) window.location.assign(url);
    });
  }
  draw(
    "chart-channels",
    bars(data.channels.labels, [
      { name: "参训人次", type: "bar", data: data.channels.person_times },
      { name: "到课人次", type: "bar", data: data.channels.attendances },
    ], { yAxis: { type: "value" } }),
  );
  draw("chart-forms", {
    tooltip: { trigger: "item", formatter: "{b}：{c} 次（{d}%）" },
    legend: { type: "scroll", bottom: 0 },
    series: [
      {
        type: "pie",
        radius: ["35%", "65%"],
        data: data.forms.labels.map((name, i) => ({
          name: data.forms.interactive[i] ? `${name}（互动）` : name,
          value: data.forms.sessions[i],
        })),
      },
    ],
  });
  if (data.satisfaction) {
    draw(
      "chart-satisfaction",
      bars(data.satisfaction.months, [
        { name: "平均分", type: "line", data: data.satisfaction.means },
      ], { yAxis: { type: "value", min: 1, max: 5 } }),
    );
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
});
