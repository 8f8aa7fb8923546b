/* The secretariat's meeting set-up: sessions, agenda items and their order, participants,
   motions of every kind and logo candidates. Every change is an existing /api/v1 call with
   the session cookie and the CSRF token; a refusal shows the API's own message next to
   the form it came from. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var meetingId = X.data.meeting_id, zone = X.data.timezone;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = csrfMeta ? csrfMeta.getAttribute("content") : "";

  /* corrections.js (loaded first) adds its edit and delete tools to each row made here */
  function hook(kind, node, thing) {
    if (X.setupHooks && X.setupHooks[kind]) X.setupHooks[kind](node, thing);
    return node;
  }

  /* --- showing what the API answered ---------------------------------------------------- */

  function fieldLabel(form, name) {
    var input = form && form.querySelector('[name="' + name + '"]');
    var label = input && input.id ? form.querySelector('label[for="' + input.id + '"]') : null;
    return label ? label.textContent.trim() : name;
  }

  function refused(form, errorId, answer) {
    var box = $(errorId), error = answer && answer.body && answer.body.error;
    var text = X.errorText(answer);
    var fields = (error && error.fields) || {};
    var names = Object.keys(fields);
    // the fields' own problems, unless the message already says them
    var details = names.map(function (name) {
      var said = [].concat(fields[name]).filter(function (problem) { return text.indexOf(problem) < 0; });
      return said.length ? fieldLabel(form, name) + ": " + said.join(" ") : "";
    }).filter(Boolean);
    if (details.length) text += " " + details.join("; ");
    box.textContent = text;
    show(box, true);
    var done = box.previousElementSibling;  // an older success beside the same form no longer holds
    if (done && done.classList.contains("form-done")) done.textContent = "";
    names.forEach(function (name) {
      var input = form && form.querySelector('[name="' + name + '"]');
      if (input) input.setAttribute("aria-invalid", "true");
    });
  }

  function accepted(form, errorId, doneId, text) {
    show($(errorId), false);
    if (form) form.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
    if (doneId) $(doneId).textContent = text;
  }

  function busy(form, on) {
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = on;
  }

  /* --- times in the meeting's time zone ----------------------------------------------- */

  function zoneOffsetMinutes(utcMs) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
                                      hour: "2-digit", minute: "2-digit", second: "2-digit"})
      .formatToParts(new Date(utcMs)).forEach(function (part) { parts[part.type] = part.value; });
    var wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
    return Math.round((wall - utcMs) / 60000);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* "2024-09-20" and "14:00" on the meeting's clock -> "2024-09-20T14:00:00+05:00" */
  function zonedIso(date, time) {
    if (!date || !time) return null;
    var d = date.split("-"), h = time.split(":");
    var wall = Date.UTC(+d[0], +d[1] - 1, +d[2], +h[0], +h[1]);
    var offset = zoneOffsetMinutes(wall);
    offset = zoneOffsetMinutes(wall - offset * 60000);  // once more, across a change of summer time
    var sign = offset < 0 ? "-" : "+", abs = Math.abs(offset);
    return date + "T" + pad(+h[0]) + ":" + pad(+h[1]) + ":00" + sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  function meetingTime(iso, withDate) {
    if (!iso) return "";
    var options = withDate ? {timeZone: zone, day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23"}
                           : {timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"};
    var lang = document.documentElement.lang || "en";
    return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang, options).format(new Date(iso));
  }

  /* --- sessions ------------------------------------------------------------------------ */

  $("session-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this, date = $("session-date").value;
    var body = {title: $("session-title").value.trim(), kind: $("session-kind").value, venue: $("session-venue").value.trim()};
    var starts = zonedIso(date, $("session-start").value), ends = zonedIso(date, $("session-end").value);
    if (starts) body.starts_at = starts;
    if (ends) body.ends_at = ends;
    busy(form, true);
    X.api("POST", "/meetings/" + meetingId + "/sessions", body).then(function (answer) {
      busy(form, false);
      if (!answer.ok) { refused(form, "session-error", answer); return; }
      var session = answer.body;
      accepted(form, "session-error", "session-done", t("session_added", {title: session.title}));
      addSession(session);
      form.reset();
      $("session-date").value = date;
    });
  });

  function addSession(session) {
    var when = session.starts_at ? meetingTime(session.starts_at, true) + (session.ends_at ? "–" + meetingTime(session.ends_at, false) : "") : "";
    $("session-list").appendChild(hook("session", el("li", {"data-session-id": String(session.id)}, [
      el("span", {className: "setup-name", text: session.title}), " ",
      el("span", {className: "badge", text: t(session.kind === "closed" ? "closed_session" : "open_session")}), " ",
      el("span", {className: "setup-sub", text: when + (session.venue ? " · " + session.venue : "")})
    ]), session));
    var heading = el("h3", {className: "session-title", "data-session-heading": String(session.id)}, [session.title]);
    if (session.kind === "closed") heading.appendChild(el("span", {className: "badge", text: t("closed_session")}));
    $("setup-agenda").appendChild(heading);
    $("setup-agenda").appendChild(el("ol", {className: "agenda-items setup-items", "data-session-id": String(session.id)}));
    $("item-session").appendChild(el("option", {value: String(session.id), text: session.title}));
    $("item-session").value = String(session.id);
    $("sm-item").appendChild(el("optgroup", {label: session.title, "data-session-id": String(session.id)}));
  }

  /* --- agenda items and their order --------------------------------------------------- */

  $("item-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this, sessionId = $("item-session").value;
    var body = {title: $("item-title").value.trim(), kind: $("item-kind").value};
    if ($("item-number").value.trim()) body.number = $("item-number").value.trim();
    if (!sessionId) { refused(form, "item-error", {body: {error: {message: t("invalid_fields", {fields: fieldLabel(form, "session")})}}}); return; }
    busy(form, true);
    X.api("POST", "/sessions/" + sessionId + "/items", body).then(function (answer) {
      busy(form, false);
      if (!answer.ok) { refused(form, "item-error", answer); return; }
      var item = answer.body;
      accepted(form, "item-error", "item-done", t("item_added", {title: item.title}));
      addItem(item);
      $("item-title").value = "";
      $("item-number").value = "";
      $("item-title").focus();
    });
  });

  function itemRow(item) {
    var kindLabel = t("item_kind_" + item.kind);
    return hook("item", el("li", {className: "agenda-item", "data-item-id": String(item.id), "data-position": String(item.position)}, [
      el("span", {className: "item-text"}, [
        item.number ? el("span", {className: "item-number", text: item.number}) : null, item.number ? " " : null,
        el("span", {className: "item-title", text: item.title}), " ",
        el("span", {className: "setup-sub", text: kindLabel})
      ]),
      el("span", {className: "order-buttons"}, [
        el("button", {type: "button", className: "button small", "data-move": "up", "aria-label": t("move_up_item", {title: item.title}), text: "↑"}),
        el("button", {type: "button", className: "button small", "data-move": "down", "aria-label": t("move_down_item", {title: item.title}), text: "↓"})
      ])
    ]), item);
  }

  function addItem(item) {
    var list = document.querySelector('#setup-agenda ol[data-session-id="' + item.session_id + '"]');
    if (list) list.appendChild(itemRow(item));
    var group = document.querySelector('#sm-item optgroup[data-session-id="' + item.session_id + '"]');
    if (group) group.appendChild(el("option", {value: String(item.id), text: (item.number ? item.number + " " : "") + item.title}));
    refreshOrderButtons();
  }

  function refreshOrderButtons() {
    document.querySelectorAll("#setup-agenda ol").forEach(function (list) {
      var rows = list.querySelectorAll(".agenda-item");
      rows.forEach(function (row, index) {
        row.querySelector('[data-move="up"]').disabled = index === 0;
        row.querySelector('[data-move="down"]').disabled = index === rows.length - 1;
      });
    });
  }

  /* Moving one item renumbers its session 1, 2, 3 … and saves the positions that changed. */
  function saveOrder(list) {
    var rows = Array.prototype.slice.call(list.querySelectorAll(".agenda-item"));
    var changes = rows.map(function (row, index) { return {row: row, position: index + 1}; })
      .filter(function (change) { return Number(change.row.getAttribute("data-position")) !== change.position; });
    return changes.reduce(function (previous, change) {
      return previous.then(function (failed) {
        if (failed) return failed;
        return X.api("PATCH", "/items/" + change.row.getAttribute("data-item-id"), {position: change.position}).then(function (answer) {
          if (!answer.ok) return answer;
          change.row.setAttribute("data-position", String(change.position));
          return null;
        });
      });
    }, Promise.resolve(null));
  }

  $("setup-agenda").addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button || button.disabled) return;
    var row = button.closest(".agenda-item"), list = row.parentNode;
    var up = button.getAttribute("data-move") === "up";
    var other = up ? row.previousElementSibling : row.nextElementSibling;
    if (!other) return;
    if (up) list.insertBefore(row, other); else list.insertBefore(other, row);
    refreshOrderButtons();
    var again = row.querySelector('[data-move="' + (up ? "up" : "down") + '"]');
    (again.disabled ? row.querySelector('[data-move="' + (up ? "down" : "up") + '"]') : again).focus();
    saveOrder(list).then(function (failed) {
      if (failed) {
        if (up) list.insertBefore(other, row); else list.insertBefore(row, other);  // as the server still has it
        refreshOrderButtons();
        refused(null, "order-error", failed);
        return;
      }
      accepted(null, "order-error", "order-done", t("order_saved"));
    });
  });

  /* --- participants and new people ---------------------------------------------------- */

  $("participant-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this, select = $("participant-user");
    var body = {user_id: Number(select.value) || null, group: $("participant-group").value, chair: $("participant-chair").checked};
    busy(form, true);
    X.api("POST", "/meetings/" + meetingId + "/participants", body).then(function (answer) {
      busy(form, false);
      if (!answer.ok) { refused(form, "participant-error", answer); return; }
      var p = answer.body, group = t("group_" + p.group);
      accepted(form, "participant-error", "participant-done", t("participant_added", {name: p.name, group: group}));
      $("participant-list").appendChild(hook("participant", el("li", {className: "person", "data-user-id": String(p.user_id)}, [
        el("span", {className: "person-name", text: p.name}),
        el("span", {className: "person-sub", text: [p.affiliation, group].filter(Boolean).join(" · ") + (p.chair ? " · " + t("chair") : "")})
      ]), p));
      var option = select.querySelector('option[value="' + p.user_id + '"]');
      if (option) option.remove();
      form.reset();
    });
  });

  $("person-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this;
    var body = {name: $("person-name").value.trim(), email: $("person-email").value.trim(),
                title: $("person-title").value.trim(), affiliation: $("person-affiliation").value.trim(),
                member_id: Number($("person-member").value) || null};
    busy(form, true);
    X.api("POST", "/users", body).then(function (answer) {
      busy(form, false);
      if (!answer.ok) { refused(form, "person-error", answer); return; }
      var user = answer.body, from = user.member ? user.member.name : user.affiliation;
      accepted(form, "person-error", "person-done", t("person_registered", {name: user.name}));
      $("participant-user").appendChild(el("option", {value: String(user.id), text: user.name + (from ? " (" + from + ")" : "")}));
      $("participant-user").value = String(user.id);
      form.reset();
      $("participant-group").focus();
    });
  });

  /* --- motions ------------------------------------------------------------------------ */

  var kindFields = document.querySelectorAll("#setup-motion-form [data-for-kinds]");
  function showKindFields() {
    var kind = $("sm-kind").value;
    kindFields.forEach(function (node) {
      show(node, node.getAttribute("data-for-kinds").split(" ").indexOf(kind) >= 0);
    });
  }
  $("sm-kind").addEventListener("change", showKindFields);
  showKindFields();

  /* A minutes approval approves a meeting's memorandum on the platform, or one held outside it
     (the meeting before the platform was in use): a title and the file the members received. */
  function memoOutside() { return $("sm-memo-source-outside").checked; }
  function showMemoSource() {
    show($("sm-memo-meeting-box"), !memoOutside());
    show($("sm-memo-outside-box"), memoOutside());
  }
  ["sm-memo-source-meeting", "sm-memo-source-outside"].forEach(function (id) { $(id).addEventListener("change", showMemoSource); });
  showMemoSource();

  /* multipart, so not X.api (which sends JSON); the same cookie and CSRF header */
  function postForm(path, data) {
    return fetch("/api/v1" + path, {method: "POST", credentials: "same-origin", body: data,
                                    headers: {"Accept": "application/json", "X-CSRFToken": csrfToken}})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          return {ok: response.ok, status: response.status, body: json};
        });
      })
      .catch(function () { return {ok: false, status: 0, body: {error: {code: "network", message: t("offline")}}}; });
  }

  /* Resolves to the motion's body, with the outside memorandum recorded first when there is one. */
  function motionBodyReady() {
    var body = motionBody();
    if (body.kind !== "minutes_approval" || !memoOutside()) return Promise.resolve({ok: true, body: body});
    delete body.memorandum_meeting_id;
    var input = $("sm-memo-file");
    if (!input.files.length) return Promise.resolve({ok: false, body: {error: {message: t("choose_document")}}});
    var data = new FormData();
    data.append("title", $("sm-memo-title").value.trim());
    data.append("file", input.files[0]);
    return postForm("/external-memoranda", data).then(function (answer) {
      if (!answer.ok) return answer;
      body.external_memorandum_id = answer.body.id;
      return {ok: true, body: body};
    });
  }

  function motionBody() {
    var kind = $("sm-kind").value;
    var body = {kind: kind, title: $("sm-title").value.trim(), text: $("sm-text").value, secret: $("sm-secret").checked};
    if (kind === "membership") { body.member_id = Number($("sm-member").value) || null; body.action = $("sm-action").value; }
    if (kind === "host_city") {
      body.candidates = Array.prototype.map.call(document.querySelectorAll('#sm-candidates input:checked'), function (box) { return Number(box.value); });
    }
    if (kind === "host_city" || kind === "logo") body.method = $("sm-method").value;
    else if ($("sm-majority").value) body.majority = $("sm-majority").value;
    if (kind === "statutes_amendment") { body.current_text = $("sm-current").value; body.proposed_text = $("sm-proposed").value; }
    if (kind === "minutes_approval") body.memorandum_meeting_id = Number($("sm-memo-meeting").value) || null;
    if (kind === "assessment") {
      body.subjects = $("sm-subjects").value.split("\n").map(function (line) { return line.trim(); })
        .filter(function (line) { return line; });
      body.scale = {min: Number($("sm-scale-min").value), max: Number($("sm-scale-max").value)};
    }
    return body;
  }

  $("setup-motion-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this, itemId = $("sm-item").value;
    if (!itemId) { refused(form, "sm-error", {body: {error: {message: t("invalid_fields", {fields: fieldLabel(form, "item")})}}}); return; }
    busy(form, true);
    motionBodyReady().then(function (ready) {
      return ready.ok ? X.api("POST", "/items/" + itemId + "/motions", ready.body) : ready;
    }).then(function (answer) {
      busy(form, false);
      if (!answer.ok) { refused(form, "sm-error", answer); return; }
      accepted(form, "sm-error", "sm-done", t("motion_added", {title: answer.body.title}));
      var kind = $("sm-kind").value, item = $("sm-item").value;
      form.reset();
      $("sm-kind").value = kind;
      $("sm-item").value = item;
      showKindFields();
      showMemoSource();
      loadMotions();
    });
  });

  function itemTitles() {
    var titles = {};
    document.querySelectorAll("#sm-item option").forEach(function (option) { titles[option.value] = option.textContent; });
    return titles;
  }

  function motionLine(motion) {
    var parts = [t("motion_kind_" + motion.kind)];
    if (motion.method === "exhaustive" || motion.method === "irv") parts.push(t("method_" + motion.method));
    else if (motion.majority && motion.method !== "assessment") parts.push(t("majority_" + motion.majority));  // scores, no majority
    if (motion.secret) parts.push(t("secret"));
    parts.push(t("status_" + motion.status) !== "status_" + motion.status ? t("status_" + motion.status) : motion.status);
    return parts.join(" · ");
  }

  function logoUpload(motion) {
    var fileId = "logo-file-" + motion.id, labelId = "logo-label-" + motion.id;
    var form = el("form", {className: "logo-upload", "data-motion-id": String(motion.id)}, [
      el("p", {className: "logo-upload-title", text: t("upload_logo")}),
      el("label", {"for": labelId, text: t("logo_label")}),
      el("input", {id: labelId, name: "label", type: "text", maxlength: "200"}),
      el("label", {"for": fileId, text: t("logo_file")}),
      el("input", {id: fileId, name: "file", type: "file", accept: "image/png,image/jpeg,image/svg+xml,.png,.jpg,.jpeg,.svg"}),
      el("button", {type: "submit", className: "button small", text: t("upload")})
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input[type=file]");
      if (!input.files.length) { refused(form, "logo-error", {body: {error: {message: t("choose_file")}}}); return; }
      var data = new FormData();
      data.append("file", input.files[0]);
      data.append("label", form.querySelector("input[name=label]").value.trim());
      busy(form, true);
      postForm("/motions/" + motion.id + "/logos", data)
        .then(function (answer) {
          busy(form, false);
          if (!answer.ok) { refused(form, "logo-error", answer); return; }
          accepted(form, "logo-error", "logo-done", t("logo_added", {label: answer.body.label}));
          loadMotions();
        });
    });
    return form;
  }

  function motionEntry(motion, titles) {
    var children = [
      el("span", {className: "setup-name", text: motion.title}),
      el("span", {className: "setup-sub", text: (titles[String(motion.item_id)] || "") + " · " + motionLine(motion)})
    ];
    var candidates = motion.candidates || [];
    if (motion.kind === "logo") {
      var logos = el("ul", {className: "logo-thumbs"});
      candidates.forEach(function (c) {
        logos.appendChild(el("li", {"data-candidate-id": String(c.id)}, [
          c.image_url ? el("img", {src: c.image_url, alt: t("logo_alt", {label: c.label}), className: "logo-thumb", loading: "lazy"}) : null,
          el("span", {text: c.label})
        ]));
      });
      children.push(logos);
      if (motion.status === "pending") children.push(logoUpload(motion));
    } else if (motion.kind === "assessment") {
      var scale = motion.scale || {min: 1, max: 5};
      children.push(el("span", {className: "setup-sub", text: t("assessed_subjects", {names: (motion.subjects || []).join(", "),
                                                                                     min: scale.min, max: scale.max})}));
    } else if (candidates.length) {
      children.push(el("span", {className: "setup-sub", text: t("candidates", {names: candidates.map(function (c) { return c.label; }).join(", ")})}));
    }
    return hook("motion", el("li", {className: "setup-motion", "data-motion-id": String(motion.id)}, children), motion);
  }

  function loadMotions() {
    return X.api("GET", "/meetings/" + meetingId + "/motions").then(function (answer) {
      var box = $("motion-list");
      box.textContent = "";
      box.setAttribute("data-loaded", "true");
      if (!answer.ok) { box.appendChild(el("p", {className: "alert", text: t("error", {reason: X.errorText(answer)})})); return; }
      if (!answer.body.length) { box.appendChild(el("p", {className: "muted", text: t("no_motions_yet")})); return; }
      var titles = itemTitles(), list = el("ul", {className: "setup-list"});
      answer.body.forEach(function (motion) { list.appendChild(motionEntry(motion, titles)); });
      box.appendChild(list);
    });
  }

  X.reloadMotions = loadMotions;  // for corrections.js, after a withdrawal or a deleted candidate
  refreshOrderButtons();
  loadMotions();
})();
