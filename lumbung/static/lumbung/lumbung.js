/* Lumbung: the only script of ours. Everything works without it; it adds
   1. the region's primary colour (data-brand on <html>) as --brand, with a readable
      --brand-ink (white or near-black, whichever contrasts more): CSP forbids inline
      styles, but setting custom properties through the CSSOM is allowed;
   2. a confirmation before forms marked data-confirm="…" are sent. */
(function () {
  "use strict";
  var root = document.documentElement;

  function channel(c) {
    c = c / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  function luminance(hex) {
    var n = parseInt(hex.slice(1), 16);
    return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  }

  var brand = (root.getAttribute("data-brand") || "").trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(brand)) {
    var l = luminance(brand);
    var onWhite = 1.05 / (l + 0.05);
    var onDark = (l + 0.05) / (luminance("#1b1f23") + 0.05);
    root.style.setProperty("--brand", brand);
    root.style.setProperty("--brand-ink", onWhite >= onDark ? "#ffffff" : "#1b1f23");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
