/* The list of meetings: a new one (empty, or a copy of an earlier one) through POST /meetings
   or POST /meetings/{id}/copy, then on to its set-up; a meeting deleted (after a question)
   through DELETE /meetings/{id}, whose refusal says what has happened in it. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, show = X.show, F = X.form;

  function showCount() {
    document.querySelectorAll("[data-for-count]").forEach(function (node) { show(node, $("nm-quorum").value === "count"); });
  }
  $("nm-quorum").addEventListener("change", showCount);
  showCount();

  $("nm-copy").addEventListener("change", function () {
    var option = this.selectedOptions[0];
    show($("nm-copy-parts"), !!this.value);
    if (this.value) {
      if (!$("nm-venue").value) $("nm-venue").value = option.getAttribute("data-venue") || "";
      $("nm-timezone").value = option.getAttribute("data-timezone") || $("nm-timezone").value;
    }
  });

  $("meeting-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this, zone = $("nm-timezone").value.trim();
    var starts = F.zonedIso($("nm-date").value, $("nm-time").value, F.validZone(zone) ? zone : "UTC");
    var body = {title: $("nm-title").value.trim(), venue: $("nm-venue").value.trim(), timezone: zone};
    if (starts) body.starts_at = starts;
    if ($("nm-reference").value.trim()) body.reference = $("nm-reference").value.trim();
    var source = $("nm-copy").value, path = "/meetings";
    if (source) {
      path = "/meetings/" + source + "/copy";
      body.sessions = $("nm-sessions").checked;
      body.agenda = $("nm-agenda").checked;
      body.participants = $("nm-participants").checked;
    } else {
      body.quorum = {rule: $("nm-quorum").value};
      if (body.quorum.rule === "count") body.quorum.count = Number($("nm-quorum-count").value) || null;
    }
    F.busy(form, true);
    X.api("POST", path, body).then(function (answer) {
      if (!answer.ok) { F.busy(form, false); F.refused(form, "meeting-error", answer); return; }
      F.accepted(form, "meeting-error", "meeting-done", t("meeting_created", {title: answer.body.title}));
      location.href = "/meetings/" + answer.body.id + "/setup";
    });
  });

  $("meeting-list").addEventListener("click", function (event) {
    var button = event.target.closest("[data-delete-meeting]");
    if (!button) return;
    var row = button.closest("li"), title = row.getAttribute("data-title");
    F.confirmInline(button, t("delete_question", {title: title}), t("delete_yes"), function () {
      X.api("DELETE", "/meetings/" + row.getAttribute("data-meeting-id")).then(function (answer) {
        if (!answer.ok) { F.refused(null, "delete-error", answer); return; }
        F.accepted(null, "delete-error", "delete-done", t("meeting_deleted", {title: title}));
        row.remove();
      });
    });
  });
})();
