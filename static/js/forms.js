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
