// The on-demand roll-up: polls the run's progress and reloads the page when done.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-rollup-progress]");
    if (!box) { return; }
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-rollup-state]");
    var url = box.getAttribute("data-rollup-progress");
    var tries = 0;
    function poll() {
      tries += 1;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (bar) { bar.value = data.percent || 0; }
          if (text) { text.textContent = box.getAttribute("data-label-" + data.state) || data.state; }
          if (data.state === "done") {
            var target = new URL(window.location.href);
            target.searchParams.delete("run");
            window.location.replace(target.toString());
          } else if (data.state !== "failed" && tries < 600) {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () { if (tries < 600) { window.setTimeout(poll, 2000); } });
    }
    poll();
  });
})();
