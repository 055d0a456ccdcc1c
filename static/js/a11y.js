// Text size (A- A A+) and high contrast, remembered per browser in localStorage.
// Loaded in <head> without defer so the remembered choice applies before first paint.
(function () {
  "use strict";
  var SIZE_KEY = "giaoban.textSize";
  var CONTRAST_KEY = "giaoban.contrast";
  var MIN = -1;
  var MAX = 3;
  var root = document.documentElement;

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
  }
  function currentSize() {
    var size = parseInt(read(SIZE_KEY) || "0", 10);
    return isNaN(size) ? 0 : Math.max(MIN, Math.min(MAX, size));
  }
  function applySize(size) {
    root.setAttribute("data-text-size", String(size));
  }
  function applyContrast(on) {
    root.classList.toggle("high-contrast", on);
    var button = document.querySelector("[data-a11y='contrast']");
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
  }

  applySize(currentSize());
  applyContrast(read(CONTRAST_KEY) === "on");

  document.addEventListener("DOMContentLoaded", function () {
    applyContrast(read(CONTRAST_KEY) === "on");
    document.querySelectorAll("[data-a11y]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = button.getAttribute("data-a11y");
        if (action === "contrast") {
          var on = !root.classList.contains("high-contrast");
          write(CONTRAST_KEY, on ? "on" : "off");
          applyContrast(on);
          return;
        }
        var size = currentSize();
        if (action === "larger") { size = Math.min(MAX, size + 1); }
        if (action === "smaller") { size = Math.max(MIN, size - 1); }
        if (action === "reset") { size = 0; }
        write(SIZE_KEY, String(size));
        applySize(size);
      });
    });
  });
})();
