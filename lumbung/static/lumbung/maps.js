/* Lumbung maps: turn every <div data-map="ID"> into a Leaflet map of the points in the
   JSON element ID ({{ points|json_script:"ID" }}: a list of {lat, lng, label, url}).
   Tiles come from data-tiles (a URL template) only when the page sets it; its origin
   must then be allowed in the CSP img-src. Without tiles the points still show on a
   blank background. Load after vendor/leaflet/leaflet.js and link leaflet.css. */
(function () {
  "use strict";
  if (!window.L) { return; }

  function draw(root) {
    var boxes = (root || document).querySelectorAll("[data-map]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.dataset.mapReady) { return; }
      var source = document.getElementById(box.getAttribute("data-map"));
      var points = source ? JSON.parse(source.textContent) : [];
      var map = window.L.map(box, { scrollWheelZoom: false });
      var tiles = box.getAttribute("data-tiles");
      if (tiles) {
        window.L.tileLayer(tiles, {
          maxZoom: 19,
          attribution: box.getAttribute("data-attribution") || ""
        }).addTo(map);
      }
      var markers = points.map(function (p) {
        var marker = window.L.circleMarker([p.lat, p.lng], { radius: 7, weight: 2 });
        if (p.label) {
          var text = document.createElement(p.url ? "a" : "span");
          text.textContent = p.label;
          if (p.url) { text.href = p.url; }
          marker.bindPopup(text);
        }
        return marker.addTo(map);
      });
      if (markers.length) {
        map.fitBounds(window.L.featureGroup(markers).getBounds().pad(0.2));
      } else {
        map.setView([-2.5, 118], 4); /* Indonesia */
      }
      box.dataset.mapReady = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:load", function (event) { draw(event.target); });
})();
