/* The invitation desk: send invitations to a group (after a confirmation that counts the
   people), a new link to one person, revoke a person's links; the page is then loaded again,
   from the database, so what it shows is what is stored. While the page is in view, each
   person's state (the e-mail sent or failed, the link opened) is fetched again every few
   seconds: the outbox sends after the commit, and people open their links at any time. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var meetingId = X.data.meeting_id;

  function problem(answer) {
    $("invite-error").textContent = t("error", {reason: X.errorText(answer)});
    show($("invite-error"), true);
  }

  function rows(group) {
    return Array.prototype.slice.call(document.querySelectorAll("#invitees tbody tr")).filter(function (row) {
      return (group === "all" || row.getAttribute("data-group") === group) && row.getAttribute("data-email");
    });
  }

  function send(body) {
    return X.api("POST", "/meetings/" + meetingId + "/invitations", body).then(function (answer) {
      if (!answer.ok) { problem(answer); return; }
      $("invite-done").textContent = t("invited", {n: answer.body.count});
      location.reload();
    });
  }

  $("invite-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var group = $("invite-group").value, language = $("invite-language").value || null;
    var people = rows(group), box = $("invite-confirm");
    box.textContent = "";
    if (!people.length) { $("invite-done").textContent = t("nobody_to_invite"); return; }
    box.appendChild(el("p", {id: "invite-question", tabindex: "-1", text: t("invite_question", {n: people.length})}));
    box.appendChild(el("ul", {className: "setup-list"}, people.map(function (row) {
      return el("li", {text: row.getAttribute("data-name") + " · " + row.getAttribute("data-email")});
    })));
    var yes = el("button", {type: "button", className: "button primary", id: "invite-yes", text: t("invite_yes")});
    var no = el("button", {type: "button", className: "button", text: t("cancel")});
    yes.addEventListener("click", function () { yes.disabled = true; send({group: group, language: language}); });
    no.addEventListener("click", function () { show(box, false); });
    box.appendChild(el("p", {className: "actions"}, [yes, " ", no]));
    show(box, true);
    $("invite-question").focus();
  });

  document.querySelectorAll("[data-invite-one]").forEach(function (button) {
    button.addEventListener("click", function () {
      var name = button.closest("tr").getAttribute("data-name");
      X.form.confirmInline(button, t("invite_one_question", {name: name}), t("invite_yes"), function () {
        send({user_ids: [Number(button.getAttribute("data-invite-one"))]});
      });
    });
  });

  document.querySelectorAll("[data-revoke]").forEach(function (button) {
    button.addEventListener("click", function () {
      var name = button.closest("tr").getAttribute("data-name");
      X.form.confirmInline(button, t("revoke_question", {name: name}), t("revoke_yes"), function () {
        X.api("POST", "/meetings/" + meetingId + "/invitations/revoke",
              {user_ids: [Number(button.getAttribute("data-revoke"))]}).then(function (answer) {
          if (!answer.ok) { problem(answer); return; }
          location.reload();
        });
      });
    });
  });

  var STATES = {queued: "queued", sending: "queued", sent: "sent", failed: "failed"};

  function update(person) {
    var row = document.querySelector('#invitees tr[data-user-id="' + person.user_id + '"]');
    if (!row) return;
    var newest = person.invitations[0];
    var state = !newest ? "none" : newest.channel === "qr" ? "printed" : STATES[newest.mail_state] || newest.mail_state;
    if (row.getAttribute("data-state") !== state) {
      row.setAttribute("data-state", state);
      var badge = row.querySelector(".badge");
      badge.className = "badge invite-" + state;
      badge.textContent = t("state_" + state);
      var reason = row.querySelector(".mail-reason");
      if (newest && newest.mail_reason) {
        if (!reason) { reason = el("small", {className: "mail-reason"}); badge.after(el("br"), reason); }
        reason.textContent = newest.mail_reason;
      } else if (reason) { reason.textContent = ""; }
    }
    var opened = row.querySelector("[data-opened]");
    if (person.opened_at && !opened.querySelector("time")) {
      opened.textContent = "";
      opened.appendChild(el("time", {datetime: person.opened_at, text: new Date(person.opened_at).toLocaleString(
        document.documentElement.lang, {timeZone: X.data.timezone, dateStyle: "medium", timeStyle: "short"})}));
    }
    row.querySelector("[data-live]").textContent = t("links_live", {n: person.live});
  }

  function refresh() {
    if (document.visibilityState !== "visible") return;
    X.api("GET", "/meetings/" + meetingId + "/invitations").then(function (answer) {
      if (answer.ok) answer.body.forEach(update);
    });
  }
  setInterval(refresh, 3000);
})();
