// Draws every chart of a page from the JSON beside its canvas (Chart.js, shipped with malbas: no CDN).
// A click on a bar or point opens the source line of that number (the dataset's `links`).
(function () {
  "use strict";
  window.malbasCharts = [];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var config = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    var linkOf = function (chart, element) {
      var dataset = chart.data.datasets[element.datasetIndex];
      return dataset.links ? dataset.links[element.index] : null;
    };
    // A target (årsmål) is a mark across its district's bars, whatever the chart's width.
    config.data.datasets.forEach(function (dataset) {
      if (!dataset.target) return;
      var half = function (context) {
        var x = context.chart.scales.x;
        return x && x.ticks.length ? Math.max(8, 0.4 * x.width / x.ticks.length) : dataset.pointRadius;
      };
      dataset.pointRadius = half;
      dataset.pointHoverRadius = half;
    });
    config.options.onClick = function (event, elements, chart) {
      var url = elements.length ? linkOf(chart, elements[0]) : null;
      if (url) window.location.href = url;
    };
    config.options.onHover = function (event, elements, chart) {
      var url = elements.length ? linkOf(chart, elements[0]) : null;
      event.native.target.style.cursor = url ? "pointer" : "default";
    };
    config.options.plugins.tooltip = {
      callbacks: {
        footer: function (items) {
          return items.length && linkOf(items[0].chart, items[0]) ? "Klicka för raden i rapporten" : "";
        },
      },
    };
    window.malbasCharts.push(new Chart(canvas, config));
  });
  // A picker sends its form when it changes: no need to look for the button.
  document.querySelectorAll("form.val select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
