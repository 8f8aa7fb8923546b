/* The registry pages: members added, edited and re-listed after an import; people added,
   edited, their accounts closed and opened again. Every change is an /api/v1 call. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show, F = X.form;

  function memberBody() {
    return {name: $("m-name").value.trim(), country: $("m-country").value.trim(), category: $("m-category").value,
            status: $("m-status").value, excom: $("m-excom").checked, office: $("m-office").value.trim() || null};
  }

  function memberRow(m) {
    return el("tr", {"data-member-id": String(m.id)}, [
      el("td", {}, [el("a", {href: "/members/" + m.id, text: m.name}), m.office ? el("br") : null,
                    m.office ? el("small", {text: m.office}) : null]),
      el("td", {text: m.country || ""}),
      el("td", {text: t("category_" + m.category)}),
      el("td", {}, [el("span", {className: "badge status-" + m.status, text: t("status_" + m.status)})]),
      el("td", {text: m.excom ? t("yes") : "–"})
    ]);
  }

  function relistMembers() {
    F.all("/members").then(function (answer) {
      if (!answer.ok) return;
      var body = document.querySelector("#members tbody");
      body.textContent = "";
      answer.body.slice().sort(function (a, b) { return a.name.localeCompare(b.name); })
        .forEach(function (m) { body.appendChild(memberRow(m)); });
      $("member-count").textContent = "(" + answer.body.length + ")";
    });
  }

  if ($("member-form")) {
    $("member-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = this;
      F.busy(form, true);
      X.api("POST", "/members", memberBody()).then(function (answer) {
        F.busy(form, false);
        if (!answer.ok) { F.refused(form, "member-error", answer); return; }
        F.accepted(form, "member-error", "member-done", t("created", {name: answer.body.name}));
        form.reset();
        relistMembers();
        $("m-name").focus();
      });
    });
    document.addEventListener("excom:imported", relistMembers);
  }

  if ($("member-edit-form")) {
    $("member-edit-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = this;
      F.busy(form, true);
      X.api("PATCH", "/members/" + X.data.member_id, memberBody()).then(function (answer) {
        F.busy(form, false);
        if (!answer.ok) { F.refused(form, "member-error", answer); return; }
        F.accepted(form, "member-error", "member-done", t("saved"));
        var badge = $("member-status");
        badge.className = "badge status-" + answer.body.status;
        badge.textContent = t("status_" + answer.body.status);
      });
    });
  }

  function personBody(withIdentity) {
    var body = {name: $("p-name").value.trim(), title: $("p-title").value.trim(),
                affiliation: $("p-affiliation").value.trim(), member_id: Number($("p-member").value) || null,
                language: $("p-language") ? ($("p-language").value || null) : null,
                roles: Array.prototype.map.call(document.querySelectorAll('input[name="roles"]:checked'), function (box) { return box.value; })};
    if (withIdentity) {
      body.email = $("p-email").value.trim();
      if ($("p-password").value) body.password = $("p-password").value;
    }
    return body;
  }

  if ($("person-form")) {
    $("person-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = this;
      F.busy(form, true);
      X.api("POST", "/users", personBody(true)).then(function (answer) {
        F.busy(form, false);
        if (!answer.ok) { F.refused(form, "person-error", answer); return; }
        var u = answer.body;
        F.accepted(form, "person-error", "person-done", t("created", {name: u.name}));
        document.querySelector("#people tbody").appendChild(el("tr", {"data-user-id": String(u.id)}, [
          el("td", {}, [el("a", {href: "/people/" + u.id, text: u.name})]),
          el("td", {className: "email", text: u.email}),
          el("td", {text: u.member ? u.member.name : (u.affiliation || "")}),
          el("td", {text: (u.roles || []).join(", ")})
        ]));
        form.reset();
        $("p-name").focus();
      });
    });
  }

  if ($("person-edit-form")) {
    $("person-edit-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = this;
      F.busy(form, true);
      X.api("PATCH", "/users/" + X.data.user_id, personBody(false)).then(function (answer) {
        F.busy(form, false);
        if (!answer.ok) { F.refused(form, "person-error", answer); return; }
        F.accepted(form, "person-error", "person-done", t("saved"));
      });
    });
    function setActive(active) {
      X.api("PATCH", "/users/" + X.data.user_id, {active: active}).then(function (answer) {
        if (!answer.ok) { F.refused(null, "account-error", answer); return; }
        F.accepted(null, "account-error", "account-done", t(active ? "reactivated" : "deactivated"));
        show($("deactivate"), active);
        show($("reactivate"), !active);
        show($("closed-badge"), !active);
      });
    }
    $("deactivate").addEventListener("click", function () {
      var button = this;
      F.confirmInline(button, button.textContent + "?", button.textContent, function () { setActive(false); });
    });
    $("reactivate").addEventListener("click", function () { setActive(true); });
  }
})();
