/* The desk's memorandum: build a version; distribute it after a confirmation that lists the
   recipients (GET .../memorandum/recipients); each version's copies with their state as the
   database holds it (queued, sent, failed with the mail server's reason), so a reload shows
   the same; failures sent again (POST .../memorandum/retry). Live: memorandum.built and
   memorandum.mail (a copy sent or failed) fetch the list again. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var meetingId = X.data.meeting_id;

  function problem(answer) {
    $("desk-error").textContent = t("error", {reason: X.errorText(answer)});
    show($("desk-error"), true);
  }

  function word(prefix, key) {
    var text = t(prefix + key);
    return text !== prefix + key ? text : key;
  }

  /* the state of a copy as a person reads it: "sending" is still queued to them */
  function stateText(row) {
    var state = row.status === "sending" ? "queued" : row.status;
    var text = word("copy_", state);
    return state === "failed" && row.error ? t("copy_failed_because", {reason: row.error}) : text;
  }

  function copies(v) {
    var list = el("ul", {className: "setup-list memo-copies", "data-copies": String(v.version)});
    v.distributions.forEach(function (row) {
      var state = row.status === "sending" ? "queued" : row.status;
      list.appendChild(el("li", {"data-email": row.email, "data-state": state}, [
        el("span", {className: "setup-name", text: row.name}), " ",
        el("span", {className: "muted", text: row.email + " · " + word("edition_", row.edition)}), " ",
        el("span", {className: "badge copy-" + state, text: stateText(row)})
      ]));
    });
    return list;
  }

  function retryButton(v) {
    var failed = v.distributions.filter(function (row) { return row.status === "failed"; }).length;
    if (!failed) return null;
    var button = el("button", {type: "button", className: "button small", "data-retry": String(v.version),
                               text: t("retry_failed", {n: failed})});
    button.addEventListener("click", function () {
      button.disabled = true;
      X.api("POST", "/meetings/" + meetingId + "/memorandum/retry", {version: v.version}).then(function (answer) {
        button.disabled = false;
        if (!answer.ok) { problem(answer); return; }
        show($("desk-error"), false);
        $("memo-status").textContent = t("retry_queued", {n: answer.body.queued, version: v.version});
        versions();
      });
    });
    return button;
  }

  function versions() {
    return X.api("GET", "/meetings/" + meetingId + "/memorandum").then(function (answer) {
      var body = $("memo-versions");
      body.textContent = "";
      if (!answer.ok || !answer.body.length) {
        body.appendChild(el("tr", {}, [el("td", {colspan: "3", className: "muted", text: t("memo_none")})]));
        return;
      }
      answer.body.forEach(function (v) {
        var base = "/api/v1/meetings/" + meetingId + "/memorandum.docx?version=" + v.version;
        body.appendChild(el("tr", {"data-version": String(v.version)}, [
          el("td", {text: String(v.version)}),
          el("td", {}, [el("span", {className: "badge", text: word("status_", v.status)})]),
          el("td", {className: "downloads"}, [
            el("a", {href: base + "&edition=full", download: "", text: t("full_edition")}), " · ",
            el("a", {href: base + "&edition=public", download: "", text: t("public_edition")})
          ].concat((v.languages || []).indexOf("ru") < 0 ? [] : [  // the same in Russian
            " · ", el("a", {href: base + "&edition=full&lang=ru", download: "", hreflang: "ru", text: t("full_edition") + " (RU)"}),
            " · ", el("a", {href: base + "&edition=public&lang=ru", download: "", hreflang: "ru", text: t("public_edition") + " (RU)"})
          ]))
        ]));
        if (v.distributions && v.distributions.length) {
          var cell = el("td", {colspan: "3"}, [el("span", {className: "hint", text: t("copies_of", {n: v.version})}),
                                               copies(v)]);
          var retry = retryButton(v);
          if (retry) cell.appendChild(retry);
          body.appendChild(el("tr", {className: "memo-copies-row"}, [cell]));
        }
      });
    });
  }

  $("memo-build").addEventListener("click", function () {
    var button = this;
    button.disabled = true;
    X.api("POST", "/meetings/" + meetingId + "/memorandum").then(function (answer) {
      button.disabled = false;
      if (!answer.ok) { problem(answer); return; }
      show($("desk-error"), false);
      $("memo-status").textContent = t("memo_built", {n: answer.body.version});
      versions();
    });
  });

  function send(audience, version) {
    X.api("POST", "/meetings/" + meetingId + "/memorandum/distribute", {audience: audience, version: version})
      .then(function (answer) {
        if (!answer.ok) { problem(answer); return; }
        show($("desk-error"), false);
        var body = answer.body;
        // with SMTP the rows are queued for the sender (minutes/outbox.py); those being sent count as queued
        $("memo-status").textContent = t("memo_distributed", {n: body.version, recorded: body.recorded,
                                                              queued: (body.queued || 0) + (body.sending || 0),
                                                              sent: body.sent, failed: body.failed});
        versions();
      });
  }

  /* "Distribute" first lists who would receive it, and sends only when confirmed */
  function confirmDistribution(audience) {
    var box = $("memo-confirm");
    X.api("GET", "/meetings/" + meetingId + "/memorandum/recipients?audience=" + audience).then(function (answer) {
      if (!answer.ok) { problem(answer); return; }
      show($("desk-error"), false);
      var body = answer.body;
      var sending = body.recipients.filter(function (r) { return r.will_send; });
      box.textContent = "";
      box.appendChild(el("h3", {id: "memo-confirm-heading", tabindex: "-1",
                                text: t("confirm_distribution", {n: sending.length, version: body.version})}));
      var list = el("ul", {className: "setup-list"});
      body.recipients.forEach(function (r) {
        var note = r.will_send ? word("edition_", r.edition) : stateText(r);
        list.appendChild(el("li", {"data-email": r.email, "data-will-send": r.will_send ? "true" : "false"}, [
          el("span", {className: "setup-name", text: r.name}), " ",
          el("span", {className: "muted", text: r.email + " · " + note})
        ]));
      });
      box.appendChild(list);
      var yes = el("button", {type: "button", className: "button primary", id: "memo-confirm-yes",
                              text: t("send_to_n", {n: sending.length}), disabled: !sending.length});
      var no = el("button", {type: "button", className: "button", text: t("cancel")});
      yes.addEventListener("click", function () { show(box, false); send(audience, body.version); });
      no.addEventListener("click", function () { show(box, false); });
      box.appendChild(el("p", {className: "actions"}, [yes, " ", no]));
      show(box, true);
      $("memo-confirm-heading").focus();
    });
  }
  $("memo-send-excom").addEventListener("click", function () { confirmDistribution("excom"); });
  $("memo-send-all").addEventListener("click", function () { confirmDistribution("all"); });

  X.onMemorandum = versions;
  versions();
})();
