/* Lumbung charts: draw every <canvas data-chart="ID"> with Chart.js, reading its config
   from the JSON element ID (Django's {{ config|json_script:"ID" }}). No inline script is
   needed, so the CSP stays script-src 'self'. Load after vendor/chartjs/chart.umd.min.js.
   Every chart should also have a data table or text next to it: a canvas is not
   accessible on its own. */
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var dark = getComputedStyle(document.documentElement).getPropertyValue("--ink").trim();
  window.Chart.defaults.color = dark || "#1b1f23";
  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  function draw(root) {
    var canvases = (root || document).querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      if (canvas.dataset.chartReady) { return; }
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source) { return; }
      var config = JSON.parse(source.textContent);
      config.options = config.options || {};
      if (still) { config.options.animation = false; }
      new window.Chart(canvas, config);
      canvas.dataset.chartReady = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:load", function (event) { draw(event.target); });
})();
