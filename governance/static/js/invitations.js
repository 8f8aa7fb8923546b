/* The invitation desk: send invitations to a group (after a confirmation that counts the
   people), a new link to one person, revoke a person's links; the page is then loaded again,
   from the database, so what it shows is what is stored. */
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
})();
