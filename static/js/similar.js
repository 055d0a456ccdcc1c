// The similar block of the recommendation form (templates/proposals/includes/similar.html):
// with JavaScript the check answers in place, keeping the form (and its chosen files)
// as it is; without, the button opens the list in a new tab.
(function () {
  "use strict";
  function setUp(block) {
    var button = block.querySelector("[data-similar-check]");
    var results = block.querySelector("[data-similar-results]");
    var form = button.form;
    block.querySelector("[data-similar-new-tab]").hidden = true;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData();
      ["csrfmiddlewaretoken", "title", "content", "rec"].forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field) { data.append(name, field.value); }
      });
      button.disabled = true;
      fetch(block.getAttribute("data-similar-url"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (response.redirected) {
          // Signed out meanwhile (idle): the sign-in page, then back to this page, whose
          // typed text static/js/session.js kept and fills in again.
          var login = new URL(response.url);
          login.searchParams.set("next", location.pathname + location.search);
          location.assign(login.toString());
          return null;
        }
        return response.ok ? response.text() : Promise.reject(response.status);
      }).then(function (html) {
        if (html !== null) { results.innerHTML = html; }
      }).catch(function () {
        results.textContent = block.getAttribute("data-similar-error") || "";
      }).finally(function () { button.disabled = false; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-similar]").forEach(setUp);
  });
})();
