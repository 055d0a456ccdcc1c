// Answer page: print, copy the link, and the 1-5 star rating (one vote per browser:
// a random token kept in localStorage identifies the browser, nothing else).
(function () {
  "use strict";
  function voterToken() {
    var key = "giaoban.voter";
    var token = null;
    try { token = window.localStorage.getItem(key); } catch (e) { /* ignore */ }
    if (!token) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      token = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      try { window.localStorage.setItem(key, token); } catch (e) { /* not remembered */ }
    }
    return token;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var printButton = document.querySelector("[data-print]");
    if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }

    var copyButton = document.querySelector("[data-copy-link]");
    var copyStatus = document.querySelector("[data-copy-status]");
    if (copyButton && navigator.clipboard) {
      copyButton.addEventListener("click", function () {
        navigator.clipboard.writeText(copyButton.getAttribute("data-copy-link")).then(function () {
          copyStatus.textContent = copyButton.getAttribute("data-copied");
        });
      });
    }

    var rating = document.querySelector("[data-rating]");
    if (!rating) { return; }
    var status = rating.querySelector("[data-rating-status]");
    var summary = rating.querySelector("[data-rating-summary]");
    var thanks = rating.querySelector("[data-thanks]").innerHTML;
    var mine = rating.querySelector("[data-mine]").innerHTML;
    // The page is cached for everyone: this browser's own vote is remembered here.
    var myKey = "giaoban.rated." + rating.getAttribute("data-rate-url");
    function showMine(stars) { status.textContent = mine.replace("{stars}", stars); }
    try {
      var stored = window.localStorage.getItem(myKey);
      if (stored) { showMine(stored); }
    } catch (e) { /* not remembered */ }
    rating.querySelectorAll("[data-stars]").forEach(function (button) {
      button.addEventListener("click", function () {
        var body = new URLSearchParams();
        body.set("stars", button.getAttribute("data-stars"));
        body.set("voter", voterToken());
        fetch(rating.getAttribute("data-rate-url"), { method: "POST", body: body, credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (data.error) { status.textContent = data.error; return; }
            summary.textContent = data.summary;
            if (data.counted) {
              status.textContent = thanks;
              try { window.localStorage.setItem(myKey, button.getAttribute("data-stars")); } catch (e) { /* not remembered */ }
            } else {
              status.textContent = data.message;
            }
          });
      });
    });
  });
})();
