/* Complaints: the filing form's map pin. A tap on the map (or "use my location") puts the
   pin and fills the hidden latitude/longitude inputs named by data-lat / data-lng; the
   nearby-reports box listens for the "complaints:pin" event. Without this script the
   form still works: the place is described in words. Load after vendor/leaflet. */
(function () {
  "use strict";
  if (!window.L) { return; }

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  function setUp(box) {
    var lat = document.querySelector(box.getAttribute("data-lat"));
    var lng = document.querySelector(box.getAttribute("data-lng"));
    if (!lat || !lng) { return; }
    var controls = document.querySelector(".pin-actions");
    var status = document.querySelector("[data-pin-status]");
    box.hidden = false;
    if (controls) { controls.hidden = false; }
    var map = window.L.map(box, { scrollWheelZoom: false });
    var tiles = box.getAttribute("data-tiles");
    if (tiles) {
      window.L.tileLayer(tiles, { maxZoom: 19, attribution: box.getAttribute("data-attribution") || "" }).addTo(map);
    }
    var marker = null;

    function place(latitude, longitude, zoom) {
      lat.value = round(latitude).toFixed(6);
      lng.value = round(longitude).toFixed(6);
      if (marker) { marker.setLatLng([latitude, longitude]); }
      else { marker = window.L.marker([latitude, longitude]).addTo(map); }
      map.setView([latitude, longitude], zoom || Math.max(map.getZoom(), 16));
      if (status) { status.textContent = box.getAttribute("data-set-text") || "✓"; }
      document.body.dispatchEvent(new CustomEvent("complaints:pin"));
    }

    if (lat.value && lng.value) {
      place(parseFloat(lat.value), parseFloat(lng.value), 16);
    } else {
      map.setView([-2.5, 118], 4); /* Indonesia */
    }
    map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng); });

    var locate = document.querySelector("[data-locate]");
    if (locate && navigator.geolocation) {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (where) {
          place(where.coords.latitude, where.coords.longitude, 17);
        });
      });
    } else if (locate) {
      locate.hidden = true;
    }
    var unpin = document.querySelector("[data-unpin]");
    if (unpin) {
      unpin.addEventListener("click", function () {
        lat.value = ""; lng.value = "";
        if (marker) { map.removeLayer(marker); marker = null; }
        if (status) { status.textContent = ""; }
        document.body.dispatchEvent(new CustomEvent("complaints:pin"));
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-pin-map]"), setUp);
  });
})();
