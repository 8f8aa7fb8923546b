/* The chair's console: quorum gauge, who is present, the agenda with its activate buttons,
   the motions of the current item, the open poll's live count, its result, a tie's casting vote, the next round,
   adjournment. Every action goes through /api/v1; the live events keep the page true. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var meetingId = X.data.meeting_id;
  var poll = null, lastClosed = null, motionList = null, busy = false;

  function fail(answer) {
    $("chair-error").textContent = t("error", {reason: X.errorText(answer)});
    show($("chair-error"), true);
  }
  function ok() { show($("chair-error"), false); }

  /* --- quorum and presence ------------------------------------------------------------ */

  function setQuorum(q) {
    if (!q || q.voting_members === undefined) return;
    var total = Math.max(q.voting_members, 1);
    $("quorum-fill").style.width = (100 * q.present / total).toFixed(1) + "%";
    $("quorum-mark").style.left = (100 * q.required / total).toFixed(1) + "%";
    $("quorum-fill").classList.toggle("ok", !!q.quorate);
    var badge = $("quorum-badge");
    badge.textContent = q.quorate ? t("quorate") : t("not_quorate");
    badge.className = "badge " + (q.quorate ? "ok" : "warn");
    $("quorum-numbers").textContent = t("quorum_numbers", {present: q.present, total: q.voting_members, required: q.required});
  }

  function setPresence(change) {
    var row = document.querySelector('#present-list [data-user-id="' + change.user_id + '"]');
    if (!row) return;
    row.classList.toggle("is-present", !!change.present);
    row.classList.toggle("is-absent", !change.present);
    row.querySelector("[data-presence]").textContent =
      change.present ? (change.mode === "online" ? t("online_mode") : t("in_person")) : t("absent");
  }

  /* --- agenda ------------------------------------------------------------------------- */

  document.querySelectorAll("[data-activate]").forEach(function (button) {
    button.addEventListener("click", function () {
      button.disabled = true;
      X.api("POST", "/items/" + button.getAttribute("data-activate") + "/activate").then(function (answer) {
        button.disabled = false;
        if (!answer.ok) { fail(answer); return; }
        ok();
        X.setCurrentItem(answer.body);
        loadMotions();
      });
    });
  });

  /* --- motions and polls -------------------------------------------------------------- */

  function lastRound(motion) {
    var rounds = motion.rounds || [];
    return rounds.length ? rounds[rounds.length - 1] : null;
  }

  function needsNextRound(motion) {
    var round = lastRound(motion);
    var result = round && (round.result || round);
    return !!(result && result.status === "runoff");
  }

  function renderMotions() {
    var box = $("motions");
    box.textContent = "";
    if (motionList === null) { box.appendChild(el("p", {className: "muted", text: t("motions_unavailable")})); return; }
    var mine = motionList.filter(function (m) { return m.item_id === X.data.current_item_id; });
    if (!mine.length) { box.appendChild(el("p", {className: "muted", text: t("no_motions")})); return; }
    var list = el("ul", {className: "motion-list"});
    mine.forEach(function (motion) {
      var status = motion.status || "pending";
      var next = needsNextRound(motion);
      var canOpen = !poll && status === "pending";
      var button = null, voting = !!(poll && poll.motion_id === motion.id);
      if (status === "pending" && !voting) {  // a decided motion has nothing left to open
        button = el("button", {type: "button", className: "button primary", "data-open-poll": String(motion.id),
                               disabled: !canOpen}, [next ? t("next_round") : t("open_poll")]);
        button.addEventListener("click", function () { openPoll(motion.id, button); });
      }
      list.appendChild(el("li", {className: "motion"}, [
        el("span", {className: "motion-title", text: motion.title}),
        voting ? el("span", {className: "badge ok", text: t("poll_open")})
               : el("span", {className: "badge", text: t("status_" + status) !== "status_" + status ? t("status_" + status) : status}),
        button
      ]));
    });
    box.appendChild(list);
  }

  function loadMotions() {
    return X.api("GET", "/meetings/" + meetingId + "/motions").then(function (answer) {
      motionList = answer.ok && Array.isArray(answer.body) ? answer.body : null;
      renderMotions();
    });
  }

  function openPoll(motionId, button) {
    if (busy) return;
    busy = true;
    if (button) button.disabled = true;
    X.api("POST", "/motions/" + motionId + "/polls").then(function (answer) {
      busy = false;
      if (!answer.ok) { fail(answer); renderMotions(); return; }
      ok();
      setPoll(answer.body);
    });
  }

  function setPoll(newPoll) {
    if (poll && newPoll && poll.id === newPoll.id && poll.status === "closed" && newPoll.status === "open") return;
    poll = newPoll && newPoll.status === "open" ? newPoll : null;
    if (newPoll && newPoll.status === "closed") lastClosed = newPoll;
    var shown = poll || lastClosed;
    show($("chair-poll"), !!shown);
    if (!shown) { renderMotions(); return; }
    $("chair-poll").setAttribute("data-poll-id", String(shown.id));
    $("chair-poll").setAttribute("data-status", shown.status);
    var heading = X.pollHeading(shown, null);
    $("poll-meta").textContent = heading.meta;
    $("poll-title").textContent = heading.title;
    setCount(shown.cast || 0, shown.eligible || 0);
    show($("close-poll"), !!poll);
    $("close-poll").disabled = false;
    var result = shown.status === "closed" ? shown.result : null;
    X.renderResult($("result"), shown, result);
    renderCasting(shown, result);
    // a run-off goes on with the next ballot; a tie nobody broke is held again with the same one
    show($("next-round"), !!(result && (result.status === "runoff" || result.status === "tied")));
    renderMotions();
  }

  /* A round that closed level between candidates who received votes: the chair sees the tie,
     then may break it with a casting vote (POST /polls/{id}/casting-vote), confirmed first
     because it decides the round for good; or opens the round again (which the API then
     treats as the tie settled by the members: 409 superseded). */
  function levelCandidates(closed, result) {
    if (poll || !closed || !result || result.status !== "tied" || closed.method !== "exhaustive" || !result.cast) return [];
    var counts = result.counts || {}, top = -1;
    Object.keys(counts).forEach(function (key) { if (key !== "abstain" && counts[key] > top) top = counts[key]; });
    return (closed.choices || []).filter(function (c) {
      return c.value !== "abstain" && counts[String(c.value)] === top;
    });
  }

  function renderCasting(closed, result) {
    var box = $("casting-choices");
    box.textContent = "";
    show($("casting-confirm"), false);
    var candidates = levelCandidates(closed, result);
    show($("casting"), candidates.length >= 2);
    candidates.forEach(function (choice) {
      var button = el("button", {type: "button", className: "button", "data-casting-vote": String(choice.value)},
                      [t("casting_vote_for", {name: choice.label})]);
      button.addEventListener("click", function () { askCasting(closed, choice); });
      box.appendChild(button);
    });
  }

  function askCasting(closed, choice) {
    $("casting-question").textContent = t("casting_confirm", {name: choice.label});
    $("casting-yes").textContent = t("casting_yes", {name: choice.label});
    $("casting-yes").onclick = function () { giveCasting(closed, choice.value); };
    show($("casting-confirm"), true);
    $("casting-yes").focus();
  }

  $("casting-no").addEventListener("click", function () {
    show($("casting-confirm"), false);
    var first = document.querySelector("#casting-choices button");
    if (first) first.focus();
  });

  function giveCasting(closed, value) {
    if (busy) return;
    busy = true;
    $("casting-yes").disabled = true;
    X.api("POST", "/polls/" + closed.id + "/casting-vote", {casting_vote: value}).then(function (answer) {
      busy = false;
      $("casting-yes").disabled = false;
      show($("casting-confirm"), false);
      if (!answer.ok) { fail(answer); return; }
      ok();
      setPoll(answer.body);
      loadMotions();
    });
  }

  function setCount(cast, eligible) {
    $("poll-count").textContent = X.countText(cast, eligible);
    X.setProgress($("poll-progress"), cast, eligible);
  }

  function closePoll() {
    if (!poll || busy) return;
    busy = true;
    $("close-poll").disabled = true;
    var closing = poll;
    X.api("POST", "/polls/" + closing.id + "/close").then(function (answer) {
      busy = false;
      if (!answer.ok) { $("close-poll").disabled = false; fail(answer); return; }
      ok();
      var closed = answer.body && answer.body.status ? answer.body : Object.assign({}, closing, {status: "closed", result: answer.body});
      setPoll(closed);
      loadMotions();
    });
  }

  $("close-poll").addEventListener("click", closePoll);

  $("next-round").addEventListener("click", function () {
    if (lastClosed) openPoll(lastClosed.motion_id, $("next-round"));
  });

  /* --- adjournment -------------------------------------------------------------------- */

  $("adjourn").addEventListener("click", function () { show($("adjourn-confirm"), true); $("adjourn-yes").focus(); });
  $("adjourn-no").addEventListener("click", function () { show($("adjourn-confirm"), false); $("adjourn").focus(); });
  $("adjourn-yes").addEventListener("click", function () {
    X.api("POST", "/meetings/" + meetingId + "/adjourn").then(function (answer) {
      show($("adjourn-confirm"), false);
      if (!answer.ok) { fail(answer); return; }
      $("adjourn").disabled = true;
      show($("adjourned"), true);
    });
  });

  /* --- live --------------------------------------------------------------------------- */

  setQuorum(X.data.quorum);
  loadMotions();
  // a motion the secretariat has just put on the item shows up without a reload (there is no event for it)
  setInterval(function () { if (!poll && document.visibilityState === "visible") loadMotions(); }, 10000);
  X.live({
    state: function (state) {
      X.setCurrentItem(state.item || null);
      if (state.poll) setPoll(state.poll);
      else {
        poll = null;
        var itemId = state.item ? state.item.id : null;
        var asked = lastClosed;
        X.lastClosedPoll(itemId).then(function (closed) {
          // a poll opened meanwhile (or another item came up) wins over this older answer
          if (poll || lastClosed !== asked || X.data.current_item_id !== itemId) return;
          if (closed) setPoll(closed); else { lastClosed = null; setPoll(null); }
        });
      }
      if (state.quorum) setQuorum(state.quorum);
      X.api("GET", "/meetings/" + meetingId + "/quorum").then(function (a) { if (a.ok) setQuorum(a.body); });
      loadMotions();
    },
    "agenda.current": function (payload) {
      X.setCurrentItem(payload.item || null);
      if (!poll) { lastClosed = null; setPoll(null); }
      renderMotions();
    },
    "quorum.changed": setQuorum,
    "attendance.changed": setPresence,
    "poll.opened": function (payload) { if (payload.poll) setPoll(payload.poll); },
    "poll.progress": function (payload) {
      if (poll && poll.id === payload.poll_id) { poll.cast = payload.cast; poll.eligible = payload.eligible; setCount(payload.cast, payload.eligible); }
    },
    "poll.closed": function (payload) {
      var base = (poll && poll.id === payload.poll_id) ? poll : (lastClosed && lastClosed.id === payload.poll_id ? lastClosed : null);
      if (base) setPoll(Object.assign({}, base, {status: "closed", result: payload.result}));
      else X.api("GET", "/polls/" + payload.poll_id).then(function (a) { if (a.ok) setPoll(a.body); });
      loadMotions();
    },
    "meeting.adjourned": function () { $("adjourn").disabled = true; }
  });
})();
