/* The public site's small behaviours. Everything works without them (the forms post
   normally); they only make the pages easier. No inline script: the CSP forbids it. */
(function () {
  "use strict";

  function syncAnonymous() {
    var box = document.getElementById("id_anonymous");
    var fields = document.getElementById("identity-fields");
    if (!box || !fields) { return; }
    fields.hidden = box.checked;
  }

  // A second click (or Enter) while a form is on its way does nothing: one petition, not two.
  // The server is idempotent anyway; this spares the person a confusing second answer.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) { return; }
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("disabled");
      if (button.dataset.busyText) { button.textContent = button.dataset.busyText; }
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "id_anonymous") { syncAnonymous(); }
    if (event.target.name === "kind") {
      // A grievance needs a name: untick anonymous when it is chosen.
      var box = document.getElementById("id_anonymous");
      if (box && event.target.value === "grievance" && box.checked) { box.checked = false; syncAnonymous(); }
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); return; }
    var refresh = event.target.closest("#captcha-refresh");
    if (refresh) {
      var img = document.getElementById("captcha-image");
      var input = document.querySelector("input[name=captcha_key]");
      fetch(img.dataset.newUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.key) { return; }
          input.value = data.key;
          img.src = img.dataset.imageUrl.replace("KEY", data.key);
          var answer = document.getElementById("id_captcha");
          if (answer) { answer.value = ""; answer.focus(); }
        });
    }
  });

  // Once a field marked wrong is edited, take the mark and its message away: the server
  // checks again on submit.
  function clearMark(event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("is-invalid")) { return; }
    el.classList.remove("is-invalid");
    el.removeAttribute("aria-invalid");
    var message = document.getElementById(el.id + "_error");
    if (message) { message.classList.remove("d-block"); message.classList.add("d-none"); }
  }
  document.addEventListener("input", clearMark);
  document.addEventListener("change", clearMark);

  document.addEventListener("DOMContentLoaded", function () {
    syncAnonymous();
    var refresh = document.getElementById("captcha-refresh");
    if (refresh) { refresh.hidden = false; }
    var summary = document.getElementById("form-errors");
    if (summary) {
      var first = document.querySelector(".is-invalid");
      (first || summary).focus();
    }
  });
})();
