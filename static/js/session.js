// The idle timeout of signed-in sessions (briefing/organisations/login_sessions.py).
// Two minutes before the end a warning offers "Stay signed in"; the text typed into the
// page's forms is kept in this tab's sessionStorage and filled in again after signing
// back in (the server's idle sign-out sends the login page `next` and `idle=1`).
// Texts come from the page (data-session-timer), in the reader's language.
(function () {
  "use strict";
  var DRAFT = "giaoban-draft:";
  var RESTORE = "giaoban-draft-restore:";
  var WARN_SECONDS = 120;
  var SKIPPED_TYPES = ["password", "hidden", "file", "submit", "button", "reset", "image"];

  function storage() {
    try { return window.sessionStorage; } catch (error) { return null; }
  }

  // Forms worth keeping: posted forms with something to type, not sign-in, sign-out,
  // second-factor or the timer's own form.
  function draftForms() {
    return Array.prototype.filter.call(document.querySelectorAll("main form"), function (form) {
      return (form.method || "").toLowerCase() === "post" &&
        !form.hasAttribute("data-no-draft") && !form.hasAttribute("data-two-factor-form") &&
        !form.hasAttribute("data-sign-out") &&
        form.querySelector("textarea, input[type=text], input:not([type])") !== null;
    });
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.name !== "csrfmiddlewaretoken" &&
        SKIPPED_TYPES.indexOf(field.type) === -1;
    });
  }

  function snapshot() {
    return draftForms().map(function (form) {
      return fields(form).map(function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          return [field.name, field.value, field.checked];
        }
        if (field.multiple) {
          return [field.name, Array.prototype.filter.call(field.options, function (o) {
            return o.selected;
          }).map(function (o) { return o.value; })];
        }
        return [field.name, field.value];
      });
    });
  }

  function save() {
    var store = storage();
    var forms = draftForms();
    if (!store || forms.length === 0) { return; }
    store.setItem(DRAFT + location.pathname, JSON.stringify(snapshot()));
  }

  function fill(form, saved) {
    var list = fields(form);
    saved.forEach(function (entry, index) {
      var field = list[index];
      if (!field || field.name !== entry[0]) { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = entry[2];
      } else if (field.multiple) {
        Array.prototype.forEach.call(field.options, function (o) {
          o.selected = entry[1].indexOf(o.value) !== -1;
        });
      } else {
        field.value = entry[1];
      }
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function restore() {
    var store = storage();
    if (!store) { return; }
    var key = DRAFT + location.pathname;
    var wanted = store.getItem(RESTORE + location.pathname);
    var saved = store.getItem(key);
    store.removeItem(RESTORE + location.pathname);
    store.removeItem(key);  // a draft is given back once, after the sign-in it waited for
    if (!wanted || !saved) { return; }
    var forms = draftForms();
    JSON.parse(saved).forEach(function (entries, index) {
      if (forms[index]) { fill(forms[index], entries); }
    });
    var notice = document.querySelector("template[data-draft-restored-notice]");
    if (notice && forms[0]) {
      forms[0].parentNode.insertBefore(notice.content.cloneNode(true), forms[0]);
    }
  }

  function forgetAll() {
    var store = storage();
    if (!store) { return; }
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key.indexOf(DRAFT) === 0 || key.indexOf(RESTORE) === 0) { store.removeItem(key); }
    }
  }

  // The login page after an idle sign-out: the page in `next` gets its draft back.
  function markForRestore() {
    var params = new URLSearchParams(location.search);
    var next = params.get("next");
    var store = storage();
    if (params.get("idle") !== "1" || !next || !store || next.charAt(0) !== "/") { return; }
    store.setItem(RESTORE + new URL(next, location.origin).pathname, "1");
  }

  function timer(box) {
    var idle = parseInt(box.getAttribute("data-idle-seconds"), 10);
    var statusUrl = box.getAttribute("data-status-url");
    var warning = box.querySelector("[data-session-warning]");
    var ended = box.querySelector("[data-session-ended]");
    var keep = box.querySelector("[data-session-keep]");
    var handle = null;
    if (!idle || !statusUrl) { return; }

    function later(seconds) {
      window.clearTimeout(handle);
      handle = window.setTimeout(check, Math.max(1, seconds) * 1000);
    }

    function showWarning(secondsLeft) {
      var end = new Date(Date.now() + secondsLeft * 1000);
      warning.querySelector("[data-session-end-time]").textContent =
        String(end.getHours()).padStart(2, "0") + ":" + String(end.getMinutes()).padStart(2, "0");
      warning.hidden = false;
    }

    function end() {
      save();
      var store = storage();
      if (store && draftForms().length) { store.setItem(RESTORE + location.pathname, "1"); }
      var link = ended.querySelector("[data-session-sign-in]");
      link.href = box.getAttribute("data-login-url") + "?" + new URLSearchParams({
        next: location.pathname + location.search, idle: "1"
      }).toString();
      warning.hidden = true;
      ended.hidden = false;
    }

    function answer(response) {
      return response.json().then(function (data) {
        if (!data.signed_in || data.seconds_left <= 0) { end(); return; }
        if (data.seconds_left > WARN_SECONDS + 10) {
          warning.hidden = true;
          later(data.seconds_left - WARN_SECONDS);
        } else {
          showWarning(data.seconds_left);
          later(data.seconds_left + 1);
        }
      });
    }

    function check() {
      fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(answer)
        .catch(function () { later(30); });  // offline for a moment: ask again soon
    }

    keep.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(statusUrl, { method: "POST", body: new FormData(keep), credentials: "same-origin" })
        .then(answer)
        .catch(function () { later(30); });
    });
    later(idle - WARN_SECONDS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    markForRestore();
    restore();
    document.addEventListener("input", function (event) {
      if (event.target.form && draftForms().indexOf(event.target.form) !== -1) { save(); }
    });
    document.addEventListener("submit", function (event) {
      if (event.target.hasAttribute("data-sign-out")) { forgetAll(); }
    });
    var box = document.querySelector("[data-session-timer]");
    if (box) { timer(box); }
  });
})();
