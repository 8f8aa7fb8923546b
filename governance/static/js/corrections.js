/* Corrections on the set-up page: the meeting's own fields; each session, item, participant,
   motion and logo candidate edited or deleted where it is listed; the rehearsal polls cleared;
   the meeting deleted. Loaded before setup.js, whose rows it equips (X.setupHooks) as they are
   made; each change is an /api/v1 call, and a refusal (409: what depends on it) shows beside
   the list it came from. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show, F = X.form;
  var meetingId = X.data.meeting_id, zone = X.data.timezone, serial = 0;

  function toolButton(text, label, onClick) {
    var button = el("button", {type: "button", className: "button small", text: text, "aria-label": label});
    button.addEventListener("click", function () { onClick(button); });
    return button;
  }

  function tools(node) {
    var box = node.querySelector(":scope > .row-tools");
    if (!box) { box = el("span", {className: "row-tools"}); node.appendChild(box); }
    return box;
  }

  /* An inline form under a row: fields [{name, label, type, value, options}] -> onSave(values). */
  function editPanel(node, fields, onSave) {
    var open = node.querySelector(":scope > .edit-panel");
    if (open) { open.remove(); return; }
    var errorId = "edit-error-" + (++serial), form = el("form", {className: "edit-panel form-stack", novalidate: true});
    fields.forEach(function (field) {
      var id = "edit-" + serial + "-" + field.name, input;
      if (field.type === "select") {
        input = el("select", {id: id, name: field.name}, field.options.map(function (option) {
          return el("option", {value: option[0], text: option[1], selected: String(option[0]) === String(field.value)});
        }));
      } else if (field.type === "checkbox") {
        input = el("input", {id: id, name: field.name, type: "checkbox", checked: !!field.value});
        form.appendChild(el("label", {className: "check"}, [input, " " + field.label]));
        return;
      } else if (field.type === "textarea") {
        input = el("textarea", {id: id, name: field.name, rows: "3"});
        input.value = field.value || "";
      } else {
        input = el("input", {id: id, name: field.name, type: field.type || "text", value: field.value || ""});
      }
      form.appendChild(el("label", {"for": id, text: field.label}));
      form.appendChild(input);
    });
    var save = el("button", {type: "submit", className: "button primary small", text: t("save")});
    var cancel = el("button", {type: "button", className: "button small", text: t("cancel")});
    cancel.addEventListener("click", function () { form.remove(); });
    form.appendChild(el("span", {className: "actions"}, [save, cancel]));
    form.appendChild(el("p", {className: "alert form-error", id: errorId, role: "alert", hidden: true}));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = {};
      fields.forEach(function (field) {
        var input = form.querySelector('[name="' + field.name + '"]');
        values[field.name] = field.type === "checkbox" ? input.checked : input.value.trim();
      });
      F.busy(form, true);
      onSave(values).then(function (answer) {
        F.busy(form, false);
        if (!answer.ok) { F.refused(form, errorId, answer); return; }
        form.remove();
      });
    });
    node.appendChild(form);
    var first = form.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function remover(node, title, path, errorId, doneId, onGone) {
    return toolButton(t("delete"), t("delete_thing", {title: title()}), function (button) {
      F.confirmInline(button, t("delete_question", {title: title()}), t("delete_yes"), function () {
        X.api("DELETE", path).then(function (answer) {
          if (!answer.ok) { F.refused(null, errorId, answer); return; }
          F.accepted(null, errorId, doneId, t("deleted", {title: title()}));
          onGone();
        });
      });
    });
  }

  /* --- sessions ------------------------------------------------------------------------ */

  function session(node, data) {
    var id = node.getAttribute("data-session-id");
    if (data) {
      node.setAttribute("data-title", data.title); node.setAttribute("data-kind", data.kind);
      node.setAttribute("data-venue", data.venue || ""); node.setAttribute("data-starts", data.starts_at || "");
      node.setAttribute("data-ends", data.ends_at || "");
    }
    function title() { return node.getAttribute("data-title"); }
    var box = tools(node);
    box.appendChild(toolButton(t("edit"), t("edit_thing", {title: title()}), function () {
      var starts = F.wallClock(node.getAttribute("data-starts"), zone), ends = F.wallClock(node.getAttribute("data-ends"), zone);
      editPanel(node, [
        {name: "title", label: t("title"), value: title()},
        {name: "kind", label: t("kind"), type: "select", value: node.getAttribute("data-kind"),
         options: [["open", t("open_kind")], ["closed", t("closed_kind")]]},
        {name: "date", label: t("date"), type: "date", value: starts.date},
        {name: "starts", label: t("starts"), type: "time", value: starts.time},
        {name: "ends", label: t("ends"), type: "time", value: ends.time},
        {name: "venue", label: t("venue"), value: node.getAttribute("data-venue")}
      ], function (v) {
        var body = {title: v.title, kind: v.kind, venue: v.venue,
                    starts_at: F.zonedIso(v.date, v.starts, zone), ends_at: F.zonedIso(v.date, v.ends, zone)};
        return X.api("PATCH", "/sessions/" + id, body).then(function (answer) {
          if (answer.ok) {
            var s = answer.body;
            node.setAttribute("data-title", s.title); node.setAttribute("data-kind", s.kind);
            node.setAttribute("data-venue", s.venue || ""); node.setAttribute("data-starts", s.starts_at || "");
            node.setAttribute("data-ends", s.ends_at || "");
            node.querySelector(".setup-name").textContent = s.title;
            node.querySelector(".badge").textContent = t(s.kind === "closed" ? "closed_session" : "open_session");
            var heading = document.querySelector('[data-session-heading="' + id + '"]');
            if (heading) heading.firstChild.textContent = s.title + " ";
            document.querySelectorAll('#item-session option[value="' + id + '"]').forEach(function (o) { o.textContent = s.title; });
            var group = document.querySelector('#sm-item optgroup[data-session-id="' + id + '"]');
            if (group) group.label = s.title;
            F.accepted(null, "session-edit-error", "session-edit-done", t("saved"));
          }
          return answer;
        });
      });
    }));
    box.appendChild(remover(node, title, "/sessions/" + id, "session-edit-error", "session-edit-done", function () {
      node.remove();
      ['[data-session-heading="' + id + '"]', '#setup-agenda ol[data-session-id="' + id + '"]',
       '#item-session option[value="' + id + '"]', '#sm-item optgroup[data-session-id="' + id + '"]'].forEach(function (q) {
        var gone = document.querySelector(q);
        if (gone) gone.remove();
      });
    }));
  }

  /* --- agenda items -------------------------------------------------------------------- */

  function item(node, data) {
    var id = node.getAttribute("data-item-id");
    if (data) {
      node.setAttribute("data-number", data.number || ""); node.setAttribute("data-title", data.title);
      node.setAttribute("data-kind", data.kind);
    }
    function title() { return node.getAttribute("data-title"); }
    var box = tools(node);
    box.appendChild(toolButton(t("edit"), t("edit_thing", {title: title()}), function () {
      editPanel(node, [
        {name: "number", label: t("number"), value: node.getAttribute("data-number")},
        {name: "title", label: t("title"), value: title()},
        {name: "kind", label: t("kind"), type: "select", value: node.getAttribute("data-kind"),
         options: X.data.item_kinds.map(function (k) { return [k, t("item_kind_" + k)]; })}
      ], function (v) {
        return X.api("PATCH", "/items/" + id, {number: v.number || null, title: v.title, kind: v.kind}).then(function (answer) {
          if (answer.ok) {
            var i = answer.body;
            node.setAttribute("data-number", i.number || ""); node.setAttribute("data-title", i.title);
            node.setAttribute("data-kind", i.kind);
            node.querySelector(".item-title").textContent = i.title;
            var number = node.querySelector(".item-number");
            if (number) number.textContent = i.number || "";
            var kind = node.querySelector(".item-text .setup-sub");
            if (kind) kind.textContent = t("item_kind_" + i.kind);
            var option = document.querySelector('#sm-item option[value="' + id + '"]');
            if (option) option.textContent = (i.number ? i.number + " " : "") + i.title;
            F.accepted(null, "order-error", "order-done", t("saved"));
          }
          return answer;
        });
      });
    }));
    box.appendChild(remover(node, title, "/items/" + id, "order-error", "order-done", function () {
      node.remove();
      var option = document.querySelector('#sm-item option[value="' + id + '"]');
      if (option) option.remove();
    }));
  }

  /* --- participants -------------------------------------------------------------------- */

  function participantLine(p) {
    return [p.affiliation, t("group_" + p.group)].filter(Boolean).join(" · ") + (p.chair ? " · " + t("chair") : "")
      + (p.excused ? " · " + t("excused") : "");
  }

  function participant(node, data) {
    if (data) {
      node.setAttribute("data-participant-id", String(data.id)); node.setAttribute("data-name", data.name);
      node.setAttribute("data-group", data.group); node.setAttribute("data-chair", String(!!data.chair));
      node.setAttribute("data-excused", String(!!data.excused));
    }
    var id = node.getAttribute("data-participant-id");
    function name() { return node.getAttribute("data-name"); }
    var box = tools(node);
    box.appendChild(toolButton(t("edit"), t("edit_thing", {title: name()}), function () {
      editPanel(node, [
        {name: "group", label: t("group"), type: "select", value: node.getAttribute("data-group"),
         options: X.data.groups.map(function (g) { return [g, t("group_" + g)]; })},
        {name: "chair", label: t("chair_flag"), type: "checkbox", value: node.getAttribute("data-chair") === "true"},
        {name: "excused", label: t("excused_flag"), type: "checkbox", value: node.getAttribute("data-excused") === "true"}
      ], function (v) {
        return X.api("PATCH", "/participants/" + id, {group: v.group, chair: v.chair, excused: v.excused}).then(function (answer) {
          if (answer.ok) {
            var p = answer.body;
            node.setAttribute("data-group", p.group); node.setAttribute("data-chair", String(!!p.chair));
            node.setAttribute("data-excused", String(!!p.excused));
            node.querySelector(".person-sub").textContent = participantLine(p);
            if (p.chair) relistParticipants();  // the previous chair is relieved
            F.accepted(null, "participant-edit-error", "participant-edit-done", t("saved"));
          }
          return answer;
        });
      });
    }));
    box.appendChild(toolButton(t("delete"), t("remove_participant", {name: name()}), function (button) {
      F.confirmInline(button, t("remove_participant", {name: name()}) + "?", t("delete_yes"), function () {
        X.api("DELETE", "/participants/" + id).then(function (answer) {
          if (!answer.ok) { F.refused(null, "participant-edit-error", answer); return; }
          F.accepted(null, "participant-edit-error", "participant-edit-done", t("removed", {name: name()}));
          node.remove();
        });
      });
    }));
  }

  function relistParticipants() {
    F.all("/meetings/" + meetingId + "/participants").then(function (answer) {
      if (!answer.ok) return;
      var list = $("participant-list");
      list.textContent = "";
      answer.body.forEach(function (p) {
        var node = el("li", {className: "person", "data-user-id": String(p.user_id)}, [
          el("span", {className: "person-name", text: p.name}),
          el("span", {className: "person-sub", text: participantLine(p)})
        ]);
        participant(node, p);
        list.appendChild(node);
      });
    });
  }
  document.addEventListener("excom:imported", relistParticipants);

  /* --- motions and logo candidates ----------------------------------------------------- */

  function people() {
    return [["", t("nobody")]].concat((X.data.participants || []).map(function (p) { return [String(p.user_id), p.name]; }));
  }

  function motion(node, m) {
    var pending = m.status === "pending", voted = (m.rounds || []).length > 0;
    var box = tools(node);
    box.appendChild(toolButton(t("edit"), t("edit_thing", {title: m.title}), function () {
      var fields = [{name: "moved_by_id", label: t("moved_by"), type: "select", value: m.moved_by_id || "", options: people()},
                    {name: "seconded_by_id", label: t("seconded_by"), type: "select", value: m.seconded_by_id || "", options: people()}];
      if (pending && !voted) fields.unshift({name: "title", label: t("title"), value: m.title});
      editPanel(node, fields, function (v) {
        var body = {moved_by_id: Number(v.moved_by_id) || null, seconded_by_id: Number(v.seconded_by_id) || null};
        if (v.title !== undefined) body.title = v.title;
        return X.api("PATCH", "/motions/" + m.id, body).then(function (answer) {
          if (answer.ok) { F.accepted(null, "logo-error", "logo-done", t("saved")); X.reloadMotions(); }
          return answer;
        });
      });
    }));
    if (pending) {
      box.appendChild(toolButton(t("withdraw"), t("withdraw") + ": " + m.title, function (button) {
        F.confirmInline(button, t("withdraw_question", {title: m.title}), t("withdraw_yes"), function () {
          X.api("POST", "/motions/" + m.id + "/withdraw").then(function (answer) {
            if (!answer.ok) { F.refused(null, "logo-error", answer); return; }
            F.accepted(null, "logo-error", "logo-done", t("withdrawn", {title: m.title}));
            X.reloadMotions();
          });
        });
      }));
    }
    if (pending && !voted) {
      box.appendChild(remover(node, function () { return m.title; }, "/motions/" + m.id, "logo-error", "logo-done",
                              function () { X.reloadMotions(); }));
      node.querySelectorAll("[data-candidate-id]").forEach(function (candidate) {
        var cid = candidate.getAttribute("data-candidate-id"), label = candidate.querySelector("span").textContent;
        candidate.appendChild(remover(candidate, function () { return label; }, "/logos/" + cid, "logo-error", "logo-done",
                                      function () { X.reloadMotions(); }));
      });
    }
  }

  X.setupHooks = {session: session, item: item, participant: participant, motion: motion};
  document.querySelectorAll("#session-list > li").forEach(function (node) { session(node, null); });
  document.querySelectorAll("#setup-agenda .agenda-item").forEach(function (node) { item(node, null); });
  document.querySelectorAll("#participant-list > li").forEach(function (node) { participant(node, null); });

  /* --- the meeting itself ---------------------------------------------------------------- */

  function showCount() {
    document.querySelectorAll("#meeting-form [data-for-count]").forEach(function (node) { show(node, $("me-quorum").value === "count"); });
  }
  $("me-quorum").addEventListener("change", showCount);
  showCount();

  $("meeting-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this, newZone = $("me-timezone").value.trim();
    var body = {title: $("me-title").value.trim(), reference: $("me-reference").value.trim(), venue: $("me-venue").value.trim(),
                timezone: newZone, quorum: {rule: $("me-quorum").value}};
    var starts = F.zonedIso($("me-date").value, $("me-time").value, F.validZone(newZone) ? newZone : zone);
    if (starts) body.starts_at = starts;
    if (body.quorum.rule === "count") body.quorum.count = Number($("me-quorum-count").value) || null;
    F.busy(form, true);
    X.api("PATCH", "/meetings/" + meetingId, body).then(function (answer) {
      F.busy(form, false);
      if (!answer.ok) { F.refused(form, "meeting-error", answer); return; }
      F.accepted(form, "meeting-error", "meeting-done", t("saved"));
      zone = answer.body.timezone;
      X.data.timezone = zone;
      var heading = document.querySelector(".meeting-head h1");
      if (heading) heading.textContent = heading.textContent.split(":")[0] + ": " + answer.body.title;
    });
  });

  if ($("clear-rehearsal")) {
    $("clear-rehearsal").addEventListener("click", function () {
      var button = this;
      F.confirmInline(button, t("rehearsal_question"), t("rehearsal_yes"), function () {
        X.api("DELETE", "/meetings/" + meetingId + "/polls").then(function (answer) {
          if (!answer.ok) { F.refused(null, "danger-error", answer); return; }
          F.accepted(null, "danger-error", "danger-done", t("rehearsal_cleared", {
            polls: answer.body.polls, ballots: answer.body.ballots, motions: answer.body.motions_reset.length}));
          X.reloadMotions();
        });
      });
    });
  }

  $("delete-meeting").addEventListener("click", function () {
    var button = this;
    F.confirmInline(button, t("meeting_delete_question"), t("delete_yes"), function () {
      X.api("DELETE", "/meetings/" + meetingId).then(function (answer) {
        if (!answer.ok) { F.refused(null, "danger-error", answer); return; }
        F.accepted(null, "danger-error", "danger-done", t("meeting_deleted"));
        location.href = "/meetings";
      });
    });
  });
})();
