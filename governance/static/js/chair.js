/* The chair's console: quorum gauge, who is present, the agenda with its activate buttons,
   the motions of the current item, the open poll's live count, its result, a tie's casting vote, the next round,
   adjournment. Every action goes through /api/v1; the live events keep the page true. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var meetingId = X.data.meeting_id;
  var poll = null, lastClosed = null, motionList = null, busy = false, turnout = null, turnoutAsked = 0;
  // without a quorum no poll opens (409 no_quorum): the buttons say so before the API has to
  var quorate = !X.data.quorum || !!X.data.quorum.quorate;

  function adjourned() { return !!X.data.adjourned; }

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
    if (quorate !== !!q.quorate) {
      quorate = !!q.quorate;
      show($("close-void"), !quorate);
      setNextRound();
      if (motionList !== null) renderMotions();
    }
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

  /* While a poll is open the current item stays (409 poll_open); after adjournment nothing
     is taken up any more (409 adjourned): the buttons say so before the API has to. */
  function setAgendaButtons() {
    document.querySelectorAll("[data-activate]").forEach(function (button) {
      show(button, !adjourned());
      button.disabled = adjourned() || !!poll;
      if (poll && !adjourned()) button.setAttribute("title", t("item_locked_by_poll"));
      else button.removeAttribute("title");
    });
  }

  document.querySelectorAll("[data-activate]").forEach(function (button) {
    button.addEventListener("click", function () {
      button.disabled = true;
      X.api("POST", "/items/" + button.getAttribute("data-activate") + "/activate").then(function (answer) {
        setAgendaButtons();
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
      var canOpen = !poll && status === "pending" && !adjourned() && quorate;
      var button = null, voting = !!(poll && poll.motion_id === motion.id);
      if (status === "pending" && !voting && !adjourned()) {  // a decided motion has nothing left to open
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
    if (!quorate && !adjourned() && mine.some(function (m) { return (m.status || "pending") === "pending"; })) {
      box.appendChild(el("p", {className: "muted", id: "no-quorum-hint", text: t("no_quorum_to_vote")}));
    }
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
    X.renderMotionDetail($("poll-detail"), shown, {candidates: false});
    show($("poll-count"), !!poll);
    show(document.querySelector(".chair-poll .progress"), !!poll);
    if (poll) setCount(poll); else { show($("poll-waiting"), false); turnout = null; }
    show($("close-poll"), !!poll);
    $("close-poll").disabled = false;
    show($("close-confirm"), false);
    var result = shown.status === "closed" ? shown.result : null;
    X.renderResult($("result"), shown, result);
    renderCasting(shown, result);
    // a run-off goes on with the next ballot; a tie nobody broke is held again with the same one;
    // the button is usable again each time it is offered (it is disabled while a round opens)
    show($("next-round"), !!(result && (result.status === "runoff" || result.status === "tied")) && !adjourned());
    setNextRound();
    if (poll) askTurnout();
    setAgendaButtons();
    setAdjournButton();
    renderMotions();
  }

  /* A round that closed level between candidates who received votes: the chair sees the tie,
     then may break it with a casting vote (POST /polls/{id}/casting-vote), confirmed first
     because it decides the round for good; or opens the round again (which the API then
     treats as the tie settled by the members: 409 superseded). */
  function levelCandidates(closed, result) {
    // the result names who is level (`level`): every candidate of a tied exhaustive round, or
    // those tied for last in an instant-runoff count that the earlier rounds did not separate
    if (poll || adjourned() || !closed || !result || result.status !== "tied" || !result.level) return [];
    var level = result.level.map(String);
    return (closed.choices || []).filter(function (c) { return level.indexOf(String(c.value)) >= 0; });
  }

  function renderCasting(closed, result) {
    var box = $("casting-choices");
    box.textContent = "";
    show($("casting-confirm"), false);
    var candidates = levelCandidates(closed, result);
    show($("casting"), candidates.length >= 2);
    $("casting-hint").textContent = closed && closed.method === "irv" ? t("casting_hint_irv") : t("casting_hint");
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

  /* "7 of 9 present have voted; 12 eligible", and for a named poll who has not voted yet. */
  function setCount(p) {
    $("poll-count").textContent = X.turnoutText(p);
    var share = X.turnoutShare(p);
    X.setProgress($("poll-progress"), share[0], share[1]);
  }

  function waitingText(answer) {
    if (!answer || !answer.waiting) return "";
    if (!answer.waiting.length) return answer.present ? t("everyone_voted") : "";
    return t("waiting_for", {names: answer.waiting.map(function (w) { return w.member; }).join(", ")});
  }

  function fetchTurnout() {
    if (!poll) return Promise.resolve(null);
    var asked = poll.id;
    return X.api("GET", "/polls/" + asked + "/turnout").then(function (answer) {
      if (!answer.ok || !poll || poll.id !== asked) return null;
      turnout = answer.body;
      Object.assign(poll, {ballots: turnout.ballots, cast: turnout.ballots, present: turnout.present,
                           present_voted: turnout.present_voted, eligible: turnout.eligible});
      setCount(poll);
      var waiting = waitingText(turnout);
      $("poll-waiting").textContent = waiting;
      show($("poll-waiting"), !!waiting);
      return turnout;
    });
  }

  // progress arrives a few times a second under a burst: the names are asked at most once a second
  function askTurnout() {
    var now = Date.now();
    if (now - turnoutAsked < 1000) {
      if (!askTurnout.pending) askTurnout.pending = setTimeout(function () { askTurnout.pending = null; askTurnout(); }, 1000);
      return;
    }
    turnoutAsked = now;
    fetchTurnout();
  }

  /* Closing applies the result at once (a member admitted, a logo replaced): the chair sees
     how many present voting members have voted, and who has not, before confirming. */
  function askClose() {
    if (!poll || busy) return;
    $("close-poll").disabled = true;
    fetchTurnout().then(function (answer) {
      $("close-poll").disabled = false;
      var p = answer || poll;
      if (!poll) return;
      $("close-question").textContent = t("close_confirm", {voted: p.present_voted || 0, present: p.present || 0,
                                                            eligible: p.eligible || 0});
      var waiting = waitingText(answer);
      $("close-waiting").textContent = waiting;
      show($("close-waiting"), !!waiting);
      show($("close-void"), !quorate);  // a close without quorum decides nothing
      show($("close-confirm"), true);
      $("close-yes").focus();
    });
  }

  function closePoll() {
    if (!poll || busy) return;
    busy = true;
    show($("close-confirm"), false);
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

  $("close-poll").addEventListener("click", askClose);
  $("close-yes").addEventListener("click", closePoll);
  $("close-no").addEventListener("click", function () { show($("close-confirm"), false); $("close-poll").focus(); });

  $("next-round").addEventListener("click", function () {
    if (lastClosed) openPoll(lastClosed.motion_id, $("next-round"));
  });

  /* Offered again each time it is shown; not without a quorum (a round is a poll like any other). */
  function setNextRound() {
    $("next-round").disabled = !quorate;
    if (quorate) $("next-round").removeAttribute("title");
    else $("next-round").setAttribute("title", t("no_quorum_to_vote"));
  }

  /* Adjournment cannot interrupt a vote (409 poll_open): while a poll is open the button waits,
     and says why. */
  function setAdjournButton() {
    var voting = !!poll && !adjourned();
    $("adjourn").disabled = adjourned() || voting;
    show($("adjourn-hint"), voting);
    if (voting) show($("adjourn-confirm"), false);
  }

  function setAdjourned() {
    X.data.adjourned = true;
    setAdjournButton();
    show($("next-round"), false);
    show($("casting"), false);
    setAgendaButtons();
    renderMotions();
  }

  /* --- adjournment -------------------------------------------------------------------- */

  $("adjourn").addEventListener("click", function () { show($("adjourn-confirm"), true); $("adjourn-yes").focus(); });
  $("adjourn-no").addEventListener("click", function () { show($("adjourn-confirm"), false); $("adjourn").focus(); });
  $("adjourn-yes").addEventListener("click", function () {
    X.api("POST", "/meetings/" + meetingId + "/adjourn").then(function (answer) {
      show($("adjourn-confirm"), false);
      if (!answer.ok) { fail(answer); return; }
      show($("adjourned"), true);
      setAdjourned();
    });
  });

  /* --- live --------------------------------------------------------------------------- */

  setQuorum(X.data.quorum);
  setAgendaButtons();
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
      if (state.adjourned) setAdjourned();
      X.api("GET", "/meetings/" + meetingId + "/quorum").then(function (a) { if (a.ok) setQuorum(a.body); });
      loadMotions();
    },
    "agenda.current": function (payload) {
      X.setCurrentItem(payload.item || null);
      if (!poll) { lastClosed = null; setPoll(null); }
      renderMotions();
    },
    "quorum.changed": setQuorum,
    "attendance.changed": function (payload) { setPresence(payload); if (poll) askTurnout(); },
    "poll.opened": function (payload) { if (payload.poll) setPoll(payload.poll); },
    "poll.progress": function (payload) {
      if (poll && poll.id === payload.poll_id) {
        Object.assign(poll, payload, {id: poll.id});
        setCount(poll);
        if (!poll.secret) askTurnout();  // the names of who has not voted yet
      }
    },
    "poll.closed": function (payload) {
      var base = (poll && poll.id === payload.poll_id) ? poll : (lastClosed && lastClosed.id === payload.poll_id ? lastClosed : null);
      if (base) setPoll(Object.assign({}, base, {status: "closed", result: payload.result}));
      else X.api("GET", "/polls/" + payload.poll_id).then(function (a) { if (a.ok) setPoll(a.body); });
      loadMotions();
    },
    "meeting.adjourned": setAdjourned
  });
})();
