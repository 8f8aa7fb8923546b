/* The secretariat's check-in desk: find a person by name, check them in (in the room or
   online) or out; the quorum and every row follow the live attendance events. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, show = X.show;
  var meetingId = X.data.meeting_id;
  var rows = Array.prototype.slice.call(document.querySelectorAll("#checkin-list .person"));

  function setQuorum(q) {
    if (!q || q.voting_members === undefined) return;
    var badge = $("quorum-badge");
    badge.textContent = q.quorate ? t("quorate") : t("not_quorate");
    badge.className = "badge " + (q.quorate ? "ok" : "warn");
    $("quorum-numbers").textContent = t("quorum_numbers", {present: q.present, total: q.voting_members, required: q.required});
  }

  function setPresence(change) {
    var row = document.querySelector('#checkin-list [data-user-id="' + change.user_id + '"]');
    if (!row) return;
    row.classList.toggle("is-present", !!change.present);
    row.classList.toggle("is-absent", !change.present);
    row.querySelector("[data-presence]").textContent =
      change.present ? (change.mode === "online" ? t("online_mode") : t("in_person")) : t("absent");
    row.querySelectorAll("[data-checkin]").forEach(function (button) {
      var what = button.getAttribute("data-checkin");
      if (what === "out") button.disabled = !change.present;
      else button.setAttribute("aria-pressed", change.present && change.mode === what ? "true" : "false");
    });
  }

  function normalise(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  $("search").addEventListener("input", function () {
    var words = normalise(this.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var haystack = normalise(row.getAttribute("data-search"));
      var match = words.every(function (word) { return haystack.indexOf(word) >= 0; });
      row.hidden = !match;
      if (match) shown++;
    });
    show($("no-match"), shown === 0);
  });

  rows.forEach(function (row) {
    var userId = Number(row.getAttribute("data-user-id"));
    row.querySelectorAll("[data-checkin]").forEach(function (button) {
      button.addEventListener("click", function () {
        var what = button.getAttribute("data-checkin");
        var body = what === "out" ? {user_id: userId, present: false} : {user_id: userId, mode: what, present: true};
        button.disabled = true;
        X.api("POST", "/meetings/" + meetingId + "/attendance", body).then(function (answer) {
          button.disabled = false;  // setPresence below decides for the check-out button
          if (!answer.ok) {
            $("desk-error").textContent = t("error", {reason: X.errorText(answer)});
            show($("desk-error"), true);
            return;
          }
          show($("desk-error"), false);
          setPresence({user_id: userId, present: answer.body.present, mode: answer.body.mode});
          if (answer.body.quorum) setQuorum(answer.body.quorum);
        });
      });
    });
  });

  X.live({
    state: function () {
      X.api("GET", "/meetings/" + meetingId + "/participants").then(function (answer) {
        if (answer.ok) answer.body.forEach(function (p) { setPresence({user_id: p.user_id, present: p.present, mode: p.mode}); });
      });
      X.api("GET", "/meetings/" + meetingId + "/quorum").then(function (a) { if (a.ok) setQuorum(a.body); });
    },
    "quorum.changed": setQuorum,
    "attendance.changed": setPresence
  });
})();
