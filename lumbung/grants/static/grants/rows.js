/* Grants forms: "add a row" for the officers and the cost breakdown (RAB) formsets, and the
   RAB's line and grand totals as the applicant types. The server computes the amounts that
   count; these totals are only shown. Without this script the form still works with the
   rows it was given. */
(function () {
  "use strict";

  function parseRupiah(text) {
    var s = String(text || "").trim().replace(/^rp\.?/i, "").replace(/[\s\u00a0]/g, "");
    if (s.indexOf(",") >= 0) { s = s.replace(/\./g, "").replace(",", "."); }
    else if (/^\d{1,3}(\.\d{3})+$/.test(s)) { s = s.replace(/\./g, ""); }
    if (!/^-?\d+(\.\d+)?$/.test(s)) { return null; }
    return Number(s);
  }

  var money = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-US" : "id-ID", {
    style: "currency", currency: "IDR", maximumFractionDigits: 2
  });

  function totals(box) {
    var sum = 0, complete = true;
    Array.prototype.forEach.call(box.querySelectorAll("[data-rab-row]"), function (row) {
      var q = row.querySelector("[data-rab=quantity]"), p = row.querySelector("[data-rab=price]");
      var out = row.querySelector("[data-rab-total]");
      var qv = parseRupiah(q && q.value), pv = parseRupiah(p && p.value);
      if (qv === null || pv === null) {
        if (out) { out.textContent = "–"; }
        if ((q && q.value) || (p && p.value)) { complete = false; }
        return;
      }
      var line = Math.round(qv * pv * 100) / 100;
      sum += line;
      if (out) { out.textContent = money.format(line); }
    });
    var shown = box.querySelector("[data-rab-sum]");
    if (shown) { shown.textContent = complete ? money.format(sum) : "–"; }
  }

  function setUp(box) {
    var prefix = box.getAttribute("data-rows");
    var count = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var body = box.querySelector("[data-rows-body]");
    var template = box.querySelector("[data-rows-template]");
    var add = box.querySelector("[data-rows-add]");
    if (add && count && body && template) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var index = parseInt(count.value, 10) || 0;
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        body.insertAdjacentHTML("beforeend", html);
        count.value = String(index + 1);
        var inputs = body.lastElementChild && body.lastElementChild.querySelector("input, select");
        if (inputs) { inputs.focus(); }
      });
    }
    if (box.hasAttribute("data-rab")) {
      box.addEventListener("input", function () { totals(box); });
      totals(box);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rows]"), setUp);
  });
})();
