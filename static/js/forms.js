// Forms marked data-once send once: a second click while the first request is on its
// way does nothing. The server refuses repeats too; this saves the user the message.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-sending") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-sending", "1");
    // Keep the name of the button that was pressed (save vs submit) before disabling.
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value || "";
      form.appendChild(hidden);
    }
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
  });
})();

// Long lists of organisations (briefing_forms.OrganisationPicker): a filter that ignores
// Vietnamese diacritics and case, "select all shown" and "unselect all shown" per group, a live
// count. Without JavaScript the list is plain checkboxes, so the tools start hidden.
(function () {
  "use strict";
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function setUp(picker) {
    var boxes = picker.querySelectorAll("input[type=checkbox]");
    var count = picker.querySelector("[data-picker-count]");
    var filter = picker.querySelector("[data-picker-filter]");
    var label = picker.getAttribute("data-count-label");
    function update() {
      var selected = 0;
      boxes.forEach(function (box) { if (box.checked) { selected += 1; } });
      count.textContent = label.replace("{selected}", selected).replace("{total}", boxes.length);
    }
    picker.querySelectorAll("[data-picker-tools], [data-picker-all], [data-picker-none]")
      .forEach(function (element) { element.hidden = false; });
    filter.addEventListener("input", function () {
      var words = fold(filter.value).split(/\s+/).filter(Boolean);
      var total = 0;
      picker.querySelectorAll("[data-picker-group]").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("[data-picker-option]").forEach(function (option) {
          var text = fold(option.textContent);
          var match = words.every(function (word) { return text.indexOf(word) !== -1; });
          option.hidden = !match;
          if (match) { shown += 1; }
        });
        group.hidden = shown === 0;
        total += shown;
      });
      picker.querySelector("[data-picker-empty]").hidden = total > 0;
    });
    // Enter in the filter would send the whole form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    picker.addEventListener("click", function (event) {
      var button = event.target.closest("[data-picker-all], [data-picker-none]");
      if (!button) { return; }
      var on = button.hasAttribute("data-picker-all");
      button.closest("[data-picker-group]")
        .querySelectorAll("[data-picker-option]:not([hidden]) input")
        .forEach(function (box) { box.checked = on; });
      update();
    });
    picker.addEventListener("change", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-picker]").forEach(setUp);
  });
})();
