// One way to draw the platform's charts (ECharts), so every chart reads:
// - no data → an empty state in words, not a blank block;
// - one category (a one-month trend, a single unit) → the numbers themselves, not a lone dot;
// - many categories (41 units) → horizontal bars, one row each, the box as tall as they need;
// - a few long labels → rotated and truncated, never overlapping.
// Used by js/stats.js and js/evaluations.js; data comes from json_script elements (no inline JS).
window.gxChart = (() => {
  "use strict";
  const MANY = 12;
  const ROW = 28;
  const charts = [];

  function note(target, text) {
    const p = document.createElement("p");
    p.className = "gx-chart-note text-muted small text-center my-4";
    p.textContent = text;
    target.replaceChildren(p);
    target.classList.add("gx-chart-text");
    target.dataset.chartState = "empty";
  }

  function figures(target, label, items) {
    const box = document.createElement("div");
    box.className = "gx-chart-single";
    const head = document.createElement("div");
    head.className = "small text-muted";
    head.textContent = label;
    const row = document.createElement("div");
    row.className = "d-flex flex-wrap gap-4";
    for (const item of items) {
      const cell = document.createElement("div");
      const value = document.createElement("div");
      value.className = "fs-3 fw-semibold";
      value.textContent = item.value === null || item.value === undefined ? "—" : `${item.value}${item.unit || ""}`;
      const name = document.createElement("div");
      name.className = "small text-muted";
      name.textContent = item.name;
      cell.append(value, name);
      row.append(cell);
    }
    box.append(head, row);
    target.replaceChildren(box);
    target.classList.add("gx-chart-text");
    target.dataset.chartState = "single";
  }

  function init(target, option) {
    const chart = window.echarts.init(target);
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function hasValues(series) {
    return series.some((s) => s.data.some((v) => v !== null && v !== undefined && v !== 0));
  }

  // spec: {labels, series: [{name, type, data, axis (0|1), unit, stack}], axes: [{min, max, unit, name}], title}
  function category(id, spec) {
    const target = document.getElementById(id);
    if (!target || !window.echarts) return null;
    const labels = spec.labels || [];
    if (!labels.length || !hasValues(spec.series)) {
      note(target, spec.empty || document.documentElement.dataset.labelNoData || "No data yet");
      return null;
    }
    if (labels.length === 1) {
      figures(
        target,
        labels[0],
        spec.series.map((s) => ({ name: s.name, value: s.data[0], unit: s.unit })),
      );
      return null;
    }
    const horizontal = labels.length > MANY;
    const axes = (spec.axes || [{}]).map((a, i) => ({
      type: "value",
      name: a.name,
      min: a.min,
      max: a.max,
      position: horizontal ? (i ? "top" : "bottom") : i ? "right" : "left",
      axisLabel: a.unit ? { formatter: `{value}${a.unit}` } : {},
      splitLine: { show: i === 0 },
    }));
    const categoryAxis = {
      type: "category",
      data: labels,
      inverse: horizontal, // the first unit on top, as in the table
      axisLabel: horizontal
        ? { width: 110, overflow: "truncate" }
        : { interval: 0, rotate: labels.length > 5 ? 35 : 0, width: 90, overflow: "truncate" },
    };
    if (horizontal) target.style.height = `${labels.length * ROW + 90}px`;
    target.dataset.chartState = horizontal ? "horizontal" : "vertical";
    const option = {
      tooltip: { trigger: "axis", confine: true },
      legend: { top: spec.title ? 24 : 0, type: "scroll" },
      grid: { left: 12, right: 24, top: spec.title ? 56 : 36, bottom: 12, containLabel: true },
      series: spec.series.map((s) => ({
        name: s.name,
        type: s.type || "bar",
        data: s.data,
        stack: s.stack,
        [horizontal ? "xAxisIndex" : "yAxisIndex"]: s.axis || 0,
      })),
    };
    if (spec.title) option.title = { text: spec.title, textStyle: { fontSize: 14 } };
    option[horizontal ? "yAxis" : "xAxis"] = categoryAxis;
    option[horizontal ? "xAxis" : "yAxis"] = axes;
    const chart = init(target, option);
    if (spec.onClick) chart.on("click", (event) => spec.onClick(event.dataIndex));
    return chart;
  }

  // spec: {labels, values, name (the unit word), format}
  function pie(id, spec) {
    const target = document.getElementById(id);
    if (!target || !window.echarts) return null;
    if (!spec.labels.length || !spec.values.some((v) => v)) {
      note(target, spec.empty || document.documentElement.dataset.labelNoData || "No data yet");
      return null;
    }
    target.dataset.chartState = "pie";
    return init(target, {
      tooltip: { trigger: "item", formatter: spec.format, confine: true },
      legend: { type: "scroll", bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["35%", "65%"],
          data: spec.labels.map((name, i) => ({ name, value: spec.values[i] })),
        },
      ],
    });
  }

  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  return { category, pie };
})();
