/* The desk's memorandum template: what is in use, upload (refused with the reason when it does
   not render), back to the built-in layout. The words come from the section's data attributes. */
(function () {
  "use strict";
  var section = document.getElementById("memo-template");
  if (!section || !window.Excom) return;
  var X = window.Excom, $ = function (id) { return document.getElementById(id); };
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');

  function say(text, isError) {
    $("memo-template-error").hidden = !isError;
    if (isError) { $("memo-template-error").textContent = text; } else { $("memo-template-state").textContent = text; }
  }

  function load() {
    X.api("GET", "/organisation/memorandum-template").then(function (answer) {
      $("memo-template-remove").hidden = !answer.ok;
      if (!answer.ok) { say(section.getAttribute("data-none")); return; }
      var when = new Date(answer.body.uploaded_at).toLocaleString(document.documentElement.lang || undefined);
      say(section.getAttribute("data-current").replace("{name}", answer.body.filename).replace("{when}", when));
    });
  }

  $("memo-template-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var file = $("memo-template-file").files[0];
    if (!file) return;
    var body = new FormData();
    body.append("file", file, file.name);
    var button = this.querySelector("button[type=submit]");
    button.disabled = true;
    fetch("/api/v1/organisation/memorandum-template", {
      method: "PUT", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrfMeta ? csrfMeta.getAttribute("content") : ""}
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) { return {ok: response.ok, body: json}; });
    }).catch(function () {
      return {ok: false, body: {}};
    }).then(function (answer) {
      button.disabled = false;
      if (!answer.ok) { say(X.errorText(answer), true); return; }
      say("", false);
      $("memo-template-error").hidden = true;
      load();
      $("memo-template-form").reset();
      $("memo-template-state").textContent = section.getAttribute("data-saved");
    });
  });

  $("memo-template-remove").addEventListener("click", function () {
    X.api("DELETE", "/organisation/memorandum-template").then(function (answer) {
      if (!answer.ok && answer.status !== 404) { say(X.errorText(answer), true); return; }
      $("memo-template-remove").hidden = true;
      $("memo-template-error").hidden = true;
      say(section.getAttribute("data-removed"));
    });
  });

  load();
})();
