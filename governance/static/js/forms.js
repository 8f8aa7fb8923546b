/* Forms of the secretariat's pages: a refusal of the API shown beside its form (with the
   fields it names), a success line, uploads (multipart, with the CSRF header), reading a whole
   list even when the API answers it page by page, and an inline "are you sure?" step for
   what cannot be undone. Loaded after excom.js; adds window.Excom.form. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = csrfMeta ? csrfMeta.getAttribute("content") : "";

  function fieldLabel(form, name) {
    var input = form && form.querySelector('[name="' + name + '"]');
    var label = input && input.id ? document.querySelector('label[for="' + input.id + '"]') : null;
    return label ? label.textContent.trim() : name;
  }

  function refused(form, errorId, answer) {
    var box = $(errorId), error = answer && answer.body && answer.body.error;
    var text = X.errorText(answer);
    var fields = (error && error.fields) || {};
    var names = Object.keys(fields);
    var details = names.map(function (name) {
      var said = [].concat(fields[name]).map(String).filter(function (problem) { return text.indexOf(problem) < 0; });
      return said.length ? fieldLabel(form, name) + ": " + said.join(" ") : "";
    }).filter(Boolean);
    if (details.length) text += " " + details.join("; ");
    box.textContent = text;
    show(box, true);
    var done = box.previousElementSibling;
    if (done && done.classList.contains("form-done")) done.textContent = "";
    names.forEach(function (name) {
      var input = form && form.querySelector('[name="' + name + '"]');
      if (input) input.setAttribute("aria-invalid", "true");
    });
  }

  function accepted(form, errorId, doneId, text) {
    show($(errorId), false);
    if (form) form.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
    if (doneId && $(doneId)) $(doneId).textContent = text;
  }

  function busy(form, on) {
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = on; });
  }

  function answerOf(response) {
    return response.json().catch(function () { return {}; }).then(function (json) {
      return {ok: response.ok, status: response.status, body: json, headers: response.headers};
    });
  }

  /* multipart (a file), so not X.api (which sends JSON); the same cookie and CSRF header */
  function upload(method, path, data) {
    return fetch("/api/v1" + path, {method: method, credentials: "same-origin", body: data,
                                    headers: {"Accept": "application/json", "X-CSRFToken": csrfToken}})
      .then(answerOf)
      .catch(function () { return {ok: false, status: 0, body: {error: {code: "network", message: t("offline")}}}; });
  }

  /* Every row of a list, whether the API answers it whole or page by page (flask-smorest's
     X-Pagination header): asks for the next page until there is none. */
  function all(path) {
    var rows = [];
    function page(n) {
      var sep = path.indexOf("?") < 0 ? "?" : "&";
      return fetch("/api/v1" + path + sep + "page=" + n + "&page_size=100",
                   {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(answerOf)
        .then(function (answer) {
          if (!answer.ok || !Array.isArray(answer.body)) return answer;
          rows = rows.concat(answer.body);
          var info = null;
          try { info = JSON.parse(answer.headers.get("X-Pagination") || "null"); } catch (e) { info = null; }
          if (info && info.next_page && info.next_page !== n) return page(info.next_page);
          return {ok: true, status: 200, body: rows};
        })
        .catch(function () { return {ok: false, status: 0, body: {error: {code: "network", message: t("offline")}}}; });
    }
    return page(1);
  }

  /* "Delete X?" beside the button, with a yes and a cancel; focus goes to the question. */
  function confirmInline(button, question, yesText, onYes) {
    var holder = button.parentNode;
    var old = holder.querySelector(".confirm-inline");
    if (old) old.remove();
    var box = el("span", {className: "confirm-inline", role: "group"});
    var text = el("span", {className: "confirm-question", tabindex: "-1", text: question});
    var yes = el("button", {type: "button", className: "button small danger", text: yesText});
    var no = el("button", {type: "button", className: "button small", text: t("cancel")});
    yes.addEventListener("click", function () { box.remove(); onYes(); });
    no.addEventListener("click", function () { box.remove(); button.focus(); });
    box.appendChild(text); box.appendChild(yes); box.appendChild(no);
    holder.insertBefore(box, button.nextSibling);
    text.focus();
  }

  /* --- times on a meeting's clock, whatever the browser's ------------------------------ */

  function wallParts(utcMs, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
                                      hour: "2-digit", minute: "2-digit", second: "2-digit"})
      .formatToParts(new Date(utcMs)).forEach(function (part) { parts[part.type] = part.value; });
    return parts;
  }

  function offsetMinutes(utcMs, zone) {
    var p = wallParts(utcMs, zone);
    return Math.round((Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second) - utcMs) / 60000);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* "2025-10-01" and "09:00" in "Asia/Almaty" -> "2025-10-01T09:00:00+05:00" (null without both) */
  function zonedIso(date, time, zone) {
    if (!date || !time) return null;
    var d = date.split("-"), h = time.split(":");
    var wall = Date.UTC(+d[0], +d[1] - 1, +d[2], +h[0], +h[1]);
    var offset = offsetMinutes(wall, zone);
    offset = offsetMinutes(wall - offset * 60000, zone);  // once more, across a change of summer time
    var sign = offset < 0 ? "-" : "+", abs = Math.abs(offset);
    return date + "T" + pad(+h[0]) + ":" + pad(+h[1]) + ":00" + sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  /* an ISO moment as {date: "2025-10-01", time: "09:00"} on the zone's clock */
  function wallClock(iso, zone) {
    if (!iso) return {date: "", time: ""};
    var p = wallParts(new Date(iso).getTime(), zone);
    return {date: p.year + "-" + p.month + "-" + p.day, time: pad(+p.hour % 24) + ":" + p.minute};
  }

  function validZone(zone) {
    try { new Intl.DateTimeFormat("en", {timeZone: zone}); return true; } catch (e) { return false; }
  }

  X.form = {fieldLabel: fieldLabel, refused: refused, accepted: accepted, busy: busy, upload: upload, all: all,
            confirmInline: confirmInline, zonedIso: zonedIso, wallClock: wallClock, validZone: validZone};
})();
