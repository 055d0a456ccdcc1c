// Indicator charts. The data comes from a <script type="application/json"> element
// written by Django's json_script; every chart has a data table beside it, so the
// canvas is decoration for sighted readers and the table is the accessible version.
(function () {
  "use strict";

  function formatter(decimals) {
    var lang = document.documentElement.lang || "vi";
    return new Intl.NumberFormat(lang, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
  }

  function readData(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-source"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(canvas) {
    if (typeof Chart === "undefined") { return; }
    var data = readData(canvas);
    if (!data) { return; }
    var kind = canvas.getAttribute("data-chart");
    var format = formatter(data.decimals);
    var suffix = data.unit === "%" ? "%" : (data.unit ? " " + data.unit : "");
    var series = kind === "trend" ? data.trend : data.ranking;
    if (kind === "ranking") {
      // One bar per entity: the box grows with the number of entities ranked.
      var box = canvas.parentElement;
      box.style.height = Math.max(8, series.labels.length * 1.6 + 4) + "rem";
    }
    var datasets = [{
      label: data.name,
      data: series.values,
      borderColor: "#9b1c1c",
      backgroundColor: kind === "trend" ? "#9b1c1c" : "rgba(155, 28, 28, 0.75)",
      // Periods computed over a new set of entities are drawn as diamonds.
      pointStyle: kind === "trend" ? series.labels.map(function (label) {
        return data.trend.boundaries.indexOf(label) >= 0 ? "rectRot" : "circle";
      }) : undefined,
      pointRadius: kind === "trend" ? 5 : undefined,
      spanGaps: false,
    }];
    if (data.target !== null && kind === "trend") {
      datasets.push({
        label: "target",
        data: series.labels.map(function () { return data.target; }),
        borderColor: "#146c43",
        borderDash: [6, 4],
        pointRadius: 0,
        fill: false,
      });
    }
    var valueAxis = {
      beginAtZero: true,
      ticks: { callback: function (value) { return format.format(value) + suffix; } },
    };
    var chart = new Chart(canvas, {
      type: kind === "trend" ? "line" : "bar",
      data: { labels: series.labels, datasets: datasets },
      options: {
        indexAxis: kind === "trend" ? "x" : "y",
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = kind === "trend" ? context.parsed.y : context.parsed.x;
                return value === null ? "—" : format.format(value) + suffix;
              },
            },
          },
        },
        scales: kind === "trend" ? { y: valueAxis } : { x: valueAxis },
      },
    });
    canvas.setAttribute("data-drawn", "1");
    return chart;
  }

  function init() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
    // Choosing another period shows it at once (the Show button does the same).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
