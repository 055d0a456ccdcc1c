// Fills the visitor counters of the cached public pages from /visits.json.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-visits]");
    if (!box) { return; }
    var format = new Intl.NumberFormat(document.documentElement.lang === "vi" ? "vi-VN" : "en-GB");
    fetch(box.getAttribute("data-visits"), { credentials: "omit" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        ["online", "today", "year", "total"].forEach(function (name) {
          var cell = box.querySelector("[data-visits-" + name + "]");
          if (cell) { cell.textContent = format.format(data[name]); }
        });
      });
  });
})();
