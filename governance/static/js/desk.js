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
    row.querySelector("[data-excused]").addEventListener("click", function () {
      var button = this, excused = button.getAttribute("aria-pressed") !== "true";
      button.disabled = true;
      X.api("PATCH", "/participants/" + button.getAttribute("data-excused"), {excused: excused}).then(function (answer) {
        button.disabled = false;
        if (!answer.ok) {
          $("desk-error").textContent = t("error", {reason: X.errorText(answer)});
          show($("desk-error"), true);
          return;
        }
        show($("desk-error"), false);
        button.setAttribute("aria-pressed", answer.body.excused ? "true" : "false");
      });
    });
    row.querySelectorAll("[data-checkin]").forEach(function (button) {
      var what = button.getAttribute("data-checkin");
      if (what === "out") button.disabled = !change.present;
      else {
        button.setAttribute("aria-pressed", change.present && change.mode === what ? "true" : "false");
        button.disabled = !!X.data.adjourned;
      }
    });
  }

  /* After adjournment nobody checks in (409 adjourned); checking out stays possible. */
  function setAdjourned() {
    X.data.adjourned = true;
    document.querySelectorAll('#checkin-list [data-checkin]:not([data-checkin="out"])').forEach(function (button) {
      button.disabled = true;
    });
    show($("motion-form"), false);  // no motion is moved after adjournment (409 adjourned)
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
    row.querySelector("[data-access-link]").addEventListener("click", function () {
      var button = this;
      button.disabled = true;
      X.api("POST", "/users/" + userId + "/access-link", {label: t("access_link_label")}).then(function (answer) {
        button.disabled = false;
        if (!answer.ok) {
          $("desk-error").textContent = t("error", {reason: X.errorText(answer)});
          show($("desk-error"), true);
          return;
        }
        var output = row.querySelector("[data-access-output]");
        var input = output.querySelector("input");
        input.value = location.origin + answer.body.url;
        show(output, true);
        input.focus();
        input.select();
      });
    });
    row.querySelector("[data-excused]").addEventListener("click", function () {
      var button = this, excused = button.getAttribute("aria-pressed") !== "true";
      button.disabled = true;
      X.api("PATCH", "/participants/" + button.getAttribute("data-excused"), {excused: excused}).then(function (answer) {
        button.disabled = false;
        if (!answer.ok) {
          $("desk-error").textContent = t("error", {reason: X.errorText(answer)});
          show($("desk-error"), true);
          return;
        }
        show($("desk-error"), false);
        button.setAttribute("aria-pressed", answer.body.excused ? "true" : "false");
      });
    });
    row.querySelectorAll("[data-checkin]").forEach(function (button) {
      button.addEventListener("click", function () {
        var what = button.getAttribute("data-checkin");
        var body = what === "out" ? {user_id: userId, present: false} : {user_id: userId, mode: what, present: true};
        button.disabled = true;
        X.api("POST", "/meetings/" + meetingId + "/attendance", body).then(function (answer) {
          button.disabled = what !== "out" && !!X.data.adjourned;  // setPresence below decides for the check-out button
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
    "agenda.current": function (payload) {
      X.setCurrentItem(payload.item || null);
      if (X.onItem) X.onItem();
    },
    state: function (state) {
      X.setCurrentItem(state.item || null);
      if (X.onItem) X.onItem();
      X.api("GET", "/meetings/" + meetingId + "/participants").then(function (answer) {
        if (answer.ok) answer.body.forEach(function (p) { setPresence({user_id: p.user_id, present: p.present, mode: p.mode}); });
      });
      X.api("GET", "/meetings/" + meetingId + "/quorum").then(function (a) { if (a.ok) setQuorum(a.body); });
    },
    "quorum.changed": setQuorum,
    "attendance.changed": setPresence,
    "meeting.adjourned": setAdjourned,
    // the memorandum's versions and each copy's state (memorandum.js)
    "memorandum.built": function () { if (X.onMemorandum) X.onMemorandum(); },
    "memorandum.mail": function () { if (X.onMemorandum) X.onMemorandum(); }
  });
})();

/* The secretariat's minutes work on the current item, or any item chosen (notes, motions with their mover
   and seconder, a withdrawal); the memorandum is in memorandum.js. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var meetingId = X.data.meeting_id;

  function problem(answer) {
    $("desk-error").textContent = t("error", {reason: X.errorText(answer)});
    show($("desk-error"), true);
  }

  var notesItemId = null, notesDirty = false;
  $("notes").addEventListener("input", function () { notesDirty = true; });

  function saveNotes(itemId, text) {
    return X.api("PUT", "/items/" + itemId + "/notes", {text: text}).then(function (answer) {
      if (!answer.ok) { problem(answer); return answer; }
      show($("desk-error"), false);
      if (itemId === notesItemId) { notesDirty = false; $("notes-meta").textContent = t("notes_saved", {n: answer.body.revision}); }
      return answer;
    });
  }

  /* the item the notes and motions are about: the one chosen, else the chair's current item */
  function target() {
    return $("notes-item").value ? Number($("notes-item").value) : X.data.current_item_id;
  }

  function loadNotes() {
    var itemId = target();
    if (itemId === notesItemId) return;
    // the chair moved on (or another item was chosen) while notes were being typed: they are kept, on their item
    if (notesDirty && notesItemId) saveNotes(notesItemId, $("notes").value);
    notesItemId = itemId;
    notesDirty = false;
    show($("notes-form"), !!itemId);
    show($("motion-form"), !!itemId && !X.data.adjourned);
    $("notes").value = "";
    $("notes-meta").textContent = "";
    loadItemMotions();
    if (!itemId) return;
    $("notes-form").removeAttribute("data-item-id");
    X.api("GET", "/items/" + itemId + "/notes").then(function (answer) {
      if (!answer.ok || target() !== itemId) return;
      $("notes-form").setAttribute("data-item-id", String(itemId));
      if (notesDirty) return;  // typed before the stored text arrived: what was typed stays
      $("notes").value = answer.body.text || "";
      if (answer.body.revision) $("notes-meta").textContent = t("notes_revision", {n: answer.body.revision, author: answer.body.author || ""});
    });
  }
  $("notes-item").addEventListener("change", loadNotes);

  /* the motions of that item: who moved and seconded each (for the memorandum), a withdrawal */
  function personSelect(motion, field, label) {
    var id = "m" + motion.id + "-" + field;
    var select = el("select", {id: id}, [el("option", {value: "", text: t("nobody")})].concat(
      (X.data.participants || []).map(function (p) {
        return el("option", {value: String(p.user_id), text: p.name, selected: motion[field] === p.user_id});
      })));
    select.addEventListener("change", function () {
      var body = {};
      body[field] = Number(select.value) || null;
      X.api("PATCH", "/motions/" + motion.id, body).then(function (answer) {
        if (!answer.ok) { problem(answer); return; }
        show($("desk-error"), false);
        $("motion-done").textContent = t("saved");
      });
    });
    return el("span", {className: "field"}, [el("label", {"for": id, text: label}), select]);
  }

  function loadItemMotions() {
    var box = $("item-motions"), itemId = notesItemId;
    box.textContent = "";
    if (!itemId) return;
    X.api("GET", "/items/" + itemId + "/motions").then(function (answer) {
      if (!answer.ok || notesItemId !== itemId || !answer.body.length) return;
      box.appendChild(el("h3", {text: t("motions_of_item")}));
      var list = el("ul", {className: "setup-list"});
      answer.body.forEach(function (motion) {
        var status = t("status_" + motion.status) !== "status_" + motion.status ? t("status_" + motion.status) : motion.status;
        var row = el("li", {"data-motion-id": String(motion.id)}, [
          el("span", {className: "setup-name", text: motion.title}), " ",
          el("span", {className: "badge", text: status}),
          el("span", {className: "field-row"}, [personSelect(motion, "moved_by_id", t("moved_by")),
                                                personSelect(motion, "seconded_by_id", t("seconded_by"))])
        ]);
        if (motion.status === "pending") {
          var button = el("button", {type: "button", className: "button small", text: t("withdraw"),
                                     "aria-label": t("withdraw") + ": " + motion.title});
          button.addEventListener("click", function () {
            X.form.confirmInline(button, t("withdraw_question", {title: motion.title}), t("withdraw_yes"), function () {
              X.api("POST", "/motions/" + motion.id + "/withdraw").then(function (done) {
                if (!done.ok) { problem(done); return; }
                loadItemMotions();
              });
            });
          });
          row.appendChild(el("span", {className: "row-tools"}, [button]));
        }
        list.appendChild(row);
      });
      box.appendChild(list);
    });
  }

  $("notes-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (notesItemId) saveNotes(notesItemId, $("notes").value);
  });

  $("motion-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var body = {kind: "general", title: $("motion-title").value, text: $("motion-text").value,
                majority: $("motion-majority").value, secret: $("motion-secret").checked};
    X.api("POST", "/items/" + target() + "/motions", body).then(function (answer) {
      if (!answer.ok) { problem(answer); return; }
      show($("desk-error"), false);
      $("motion-form").reset();
      $("motion-done").textContent = t("motion_put");
      loadItemMotions();
    });
  });

  // closed-session decisions become visible outside the closed session (governance.publication)
  $("publish-decisions").addEventListener("click", function () {
    X.api("POST", "/meetings/" + meetingId + "/publish").then(function (answer) {
      if (!answer.ok) { problem(answer); return; }
      show($("desk-error"), false);
      $("memo-status").textContent = t("decisions_published", {decisions: answer.body.decisions.length,
                                                               released: answer.body.changes_released});
    });
  });

  X.onItem = function () { loadNotes(); };
  loadNotes();
})();
