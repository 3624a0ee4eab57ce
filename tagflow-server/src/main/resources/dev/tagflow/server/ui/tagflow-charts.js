// Draws the charts page's charts with uPlot from the tables beside them (which screen readers read).
// No inline script: the page is served with Content-Security-Policy default-src 'self'.
(function () {
  "use strict";

  var COLORS = ["#0b5cad", "#1a7f37", "#c62828", "#9a6700", "#6f42c1", "#1d2330"];

  function rowsOf(table) {
    return Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  }

  // One series: every row's data-y against its data-x.
  function pointsData(table) {
    var rows = rowsOf(table);
    return [
      rows.map(function (r) { return Number(r.dataset.x); }),
      rows.map(function (r) { return Number(r.dataset.y); })
    ];
  }

  // One series per column marked data-series; each row a day.
  function columnsData(table) {
    var names = Array.prototype.slice.call(table.querySelectorAll("thead [data-series]"))
      .map(function (th) { return th.dataset.series; });
    var rows = rowsOf(table);
    var data = [rows.map(function (r) { return Number(r.dataset.x); })];
    names.forEach(function (name, i) {
      data.push(rows.map(function (r) { return Number(r.querySelectorAll("[data-y]")[i].dataset.y); }));
    });
    return { names: names, data: data };
  }

  function draw(box) {
    var table = document.getElementById(box.dataset.table);
    if (!table || typeof uPlot === "undefined") {
      return;
    }
    var width = Math.max(280, box.clientWidth);
    var unit = box.dataset.unit;
    var opts = { width: width, height: 240, scales: { x: { time: true } }, axes: [{}, { label: unit }], series: [{}] };
    var data;
    if (box.dataset.chart === "bars") {
      var columns = columnsData(table);
      data = columns.data;
      var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8 / Math.max(1, columns.names.length), 40] }) : undefined;
      columns.names.forEach(function (name, i) {
        var color = COLORS[i % COLORS.length];
        opts.series.push({ label: name, stroke: color, fill: color + "99", paths: bars, points: { show: false } });
      });
    } else {
      data = pointsData(table);
      opts.series.push({ label: unit, stroke: COLORS[0], paths: function () { return null; }, points: { show: true, size: 7, fill: COLORS[0] } });
    }
    if (data[0].length === 0) {
      return;
    }
    box.textContent = "";
    var chart = new uPlot(opts, data, box);
    window.addEventListener("resize", function () {
      chart.setSize({ width: Math.max(280, box.clientWidth), height: 240 });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  });
})();
