/* The delegate's phone page (and the observer's, without the ballot): the current item,
   the open poll with large buttons, one tap and a confirmation, the receipt, the result. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var canVote = !!X.data.can_vote;
  var present = !!X.data.present, checkingIn = false;
  var poll = null, motion = null, pending = null, ranking = [], sending = false, socket = null;
  var scores = {};  // an assessment's sheet being filled in: subject index -> score

  /* --- "I am here (online)": a delegate not checked in says so before the ballot ---------- */

  function setPresent(now) {
    var was = present;
    present = !!now;
    show($("here"), canVote && !present && !X.data.adjourned);
    if (was !== present && poll && poll.status === "open" && canVote && !poll.voted) renderBallot();
  }

  function checkIn(button) {
    if (checkingIn) return;
    checkingIn = true;
    button.disabled = true;
    show($("here-error"), false);
    X.api("POST", "/meetings/" + X.data.meeting_id + "/attendance",
          {user_id: X.data.user_id, mode: "online", present: true}).then(function (answer) {
      checkingIn = false;
      button.disabled = false;
      if (!answer.ok) {
        $("here-error").textContent = t("error", {reason: X.errorText(answer)});
        show($("here-error"), true);
        return;
      }
      setPresent(true);
      $("announce").textContent = t("checked_in");
      var first = document.querySelector("#ballot button");
      if (first) first.focus();
    });
  }

  $("here-button").addEventListener("click", function () { checkIn($("here-button")); });

  function receiptKey(pollId) { return "excom-receipt-" + X.data.user_id + "-" + pollId; }
  function storedReceipt(pollId) { try { return localStorage.getItem(receiptKey(pollId)); } catch (e) { return null; } }
  function storeReceipt(pollId, receipt) { try { localStorage.setItem(receiptKey(pollId), receipt); } catch (e) { /* private mode */ } }

  function hidePoll() {
    poll = null; motion = null; pending = null; ranking = []; scores = {};
    show($("poll"), false);
  }

  function showHeading() {
    var heading = X.pollHeading(poll, motion);
    $("poll-title").textContent = heading.title;
    $("poll-meta").textContent = heading.meta;
    X.renderMotionDetail($("poll-detail"), poll, {candidates: false});
  }

  function applyPoll(newPoll, voted) {
    if (!newPoll) { hidePoll(); return; }
    var samePoll = poll && poll.id === newPoll.id;
    poll = newPoll;
    if (!samePoll) { motion = null; pending = null; ranking = []; scores = {}; }
    var appearing = $("poll").hidden;
    show($("poll"), true);
    if (appearing && !samePoll && $("poll").scrollIntoView) {
      // a delegate reading the agenda further down sees the ballot arrive
      var box = $("poll").getBoundingClientRect();
      if (box.top < 0 || box.top > window.innerHeight * 0.6) $("poll").scrollIntoView({block: "start"});
    }
    $("poll").setAttribute("data-poll-id", String(poll.id));
    $("poll").setAttribute("data-status", poll.status);
    showHeading();
    if (!motion && poll.motion_id) {
      var forPoll = poll.id;
      X.loadMotion(poll.motion_id).then(function (found) {
        if (found && poll && poll.id === forPoll) { motion = found; showHeading(); }
      });
    }
    var open = poll.status === "open";
    if (!samePoll || poll.status !== $("poll").getAttribute("data-announced")) {
      // a screen reader hears that voting opened or closed, wherever its focus is
      $("announce").textContent = (open ? t("poll_open") : t("poll_closed")) + ": " + X.pollHeading(poll, motion).title;
      $("poll").setAttribute("data-announced", poll.status);
    }
    $("poll-state").textContent = open ? t("poll_open") : t("poll_closed");
    $("poll").classList.toggle("is-closed", !open);
    $("poll-count").textContent = open ? X.turnoutText(poll) : "";
    var hasVoted = !!(voted || poll.voted), receipt = storedReceipt(poll.id);
    if (!samePoll) show($("vote-error"), false);
    if (open && hasVoted) {
      showVoted(receipt, !receipt);
    } else if (open && canVote) {
      show($("voted"), false);
      if (!(samePoll && (pending !== null || sending))) renderBallot();
    } else if (open) {
      show($("voted"), false); show($("confirm"), false);
      $("ballot").textContent = "";
      $("ballot").appendChild(el("p", {className: "muted", text: t("not_eligible")}));
      show($("ballot"), true);
    } else {
      show($("ballot"), false); show($("confirm"), false);
      if (hasVoted || receipt) showVoted(receipt, !receipt); else show($("voted"), false);
    }
    X.renderResult($("result"), poll, open ? null : poll.result);
  }

  /* --- the ballot ----------------------------------------------------------------------- */

  function choiceButton(choice, onPick, labelText) {
    var children = [];
    if (choice.image_url) children.push(el("img", {src: choice.image_url, alt: "", className: "choice-logo"}));
    children.push(el("span", {className: "choice-label", text: labelText || X.choiceLabel(poll, choice.value)}));
    return el("button", {type: "button", className: "choice choice-" + String(choice.value).replace(/[^a-z0-9_-]/gi, ""),
                         "data-choice": String(choice.value), onclick: onPick}, children);
  }

  function renderBallot() {
    var ballot = $("ballot");
    ballot.textContent = "";
    show($("confirm"), false);
    show(ballot, true);
    if (!present) {
      // before the ballot, not after the confirmation: a vote needs the voter checked in
      ballot.appendChild(el("p", {className: "ballot-help", text: t("check_in_needed")}));
      var here = el("button", {type: "button", className: "button primary big", id: "ballot-here"}, [t("i_am_here")]);
      here.addEventListener("click", function () { checkIn(here); });
      ballot.appendChild(here);
      return;
    }
    var choices = poll.choices || [];
    if (poll.method === "irv") { renderRanking(ballot, choices); return; }
    if (poll.method === "assessment") { renderSheet(ballot); return; }
    ballot.appendChild(el("p", {className: "ballot-help", text: t("choose")}));
    var grid = el("div", {className: "choices" + (choices.some(function (c) { return c.image_url; }) ? " with-logos" : "")});
    choices.forEach(function (choice) {
      grid.appendChild(choiceButton(choice, function () { ask(choice.value, X.choiceLabel(poll, choice.value)); }));
    });
    ballot.appendChild(grid);
  }

  function renderRanking(ballot, choices) {
    var candidates = choices.filter(function (c) { return c.value !== "abstain"; });
    var abstain = choices.filter(function (c) { return c.value === "abstain"; })[0];
    ballot.appendChild(el("p", {className: "ballot-help", text: t("rank_help")}));
    var grid = el("div", {className: "choices" + (candidates.some(function (c) { return c.image_url; }) ? " with-logos" : "")});
    candidates.forEach(function (choice) {
      var ranked = ranking.indexOf(choice.value) >= 0;
      var button = choiceButton(choice, function () { ranking.push(choice.value); renderBallot(); focusChoice(choice.value, true); });
      button.setAttribute("aria-label", t("add_to_ranking", {name: X.choiceLabel(poll, choice.value)}));
      button.disabled = ranked;
      if (ranked) {
        button.classList.add("is-ranked");
        button.insertBefore(el("span", {className: "rank-badge", "aria-hidden": "true",
                                        text: String(ranking.indexOf(choice.value) + 1)}), button.firstChild);
      }
      grid.appendChild(button);
    });
    ballot.appendChild(grid);
    ballot.appendChild(el("h3", {className: "ranking-heading", text: t("your_ranking")}));
    var list = el("ol", {className: "ranking", id: "ranking"});
    if (!ranking.length) ballot.appendChild(el("p", {className: "muted", text: t("ranking_empty")}));
    ranking.forEach(function (value, index) {
      var name = X.choiceLabel(poll, value);
      list.appendChild(el("li", {"data-choice": String(value)}, [
        el("span", {className: "rank-number", "aria-hidden": "true", text: String(index + 1)}),
        el("span", {className: "ranking-name", text: name}),
        el("button", {type: "button", className: "button small", disabled: index === 0, "aria-label": t("move_up") + ": " + name,
                      onclick: function () { ranking.splice(index, 1); ranking.splice(index - 1, 0, value); renderBallot(); }}, ["↑"]),
        el("button", {type: "button", className: "button small", "aria-label": t("remove") + ": " + name,
                      onclick: function () { ranking.splice(index, 1); renderBallot(); }}, ["✕"])
      ]));
    });
    if (ranking.length) ballot.appendChild(list);
    var submit = el("button", {type: "button", className: "button primary big", disabled: !ranking.length,
                               onclick: function () {
                                 ask(ranking.slice(), ranking.map(function (v, i) { return (i + 1) + ". " + X.choiceLabel(poll, v); }).join(", "));
                               }}, [t("submit_ranking")]);
    ballot.appendChild(submit);
    if (abstain) ballot.appendChild(choiceButton(abstain, function () { ask("abstain", t("abstain")); }));
  }

  /* An assessment on one screen: a row per subject with the scale as large buttons (a radio
     group each), then one submit of the whole sheet, or abstain. */
  function renderSheet(ballot) {
    var brief = poll.motion || {}, subjects = brief.subjects || [], scale = brief.scale || {min: 1, max: 5};
    ballot.appendChild(el("p", {className: "ballot-help", text: t("score_help", {min: scale.min, max: scale.max})}));
    var sheet = el("div", {className: "sheet"});
    subjects.forEach(function (name, index) {
      var labelId = "subject-" + index;
      var row = el("div", {className: "sheet-row", role: "radiogroup", "aria-labelledby": labelId, "data-subject": String(index)},
                   [el("p", {className: "sheet-subject", id: labelId, text: name})]);
      var buttons = el("div", {className: "sheet-scores"});
      for (var score = scale.min; score <= scale.max; score++) {
        (function (value) {
          var chosen = scores[index] === value;
          buttons.appendChild(el("button", {type: "button", className: "score" + (chosen ? " is-chosen" : ""), role: "radio",
                                            "aria-checked": chosen ? "true" : "false", "data-score": String(value),
                                            "aria-label": name + ": " + value,
                                            onclick: function () { scores[index] = value; renderBallot(); focusScore(index, value); }},
                                 [String(value)]));
        })(score);
      }
      row.appendChild(buttons);
      sheet.appendChild(row);
    });
    ballot.appendChild(sheet);
    var missing = subjects.filter(function (_, index) { return scores[index] === undefined; }).length;
    if (missing) ballot.appendChild(el("p", {className: "muted sheet-missing", text: t("scores_missing", {n: missing})}));
    ballot.appendChild(el("button", {type: "button", className: "button primary big", id: "submit-sheet", disabled: missing > 0,
                                     onclick: function () {
                                       var sent = {};
                                       subjects.forEach(function (_, index) { sent[String(index)] = scores[index]; });
                                       ask({scores: sent}, subjects.map(function (name, index) { return name + ": " + scores[index]; }).join(", "));
                                     }}, [t("submit_scores")]));
    ballot.appendChild(choiceButton({value: "abstain"}, function () { ask("abstain", t("abstain")); }));
  }

  function focusScore(index, value) {
    var target = document.querySelector('.sheet-row[data-subject="' + index + '"] [data-score="' + value + '"]');
    if (target) target.focus();
  }

  function focusChoice(value, ranked) {
    var target = ranked ? document.querySelector("#ranking li:last-child .ranking-name") : null;
    if (target) { target.setAttribute("tabindex", "-1"); target.focus(); }
  }

  function ask(choice, label) {
    pending = choice;
    show($("ballot"), false);
    $("confirm-question").textContent = t("confirm_question", {choice: label});
    show($("confirm"), true);
    $("confirm-question").focus();
  }

  function showVoted(receipt, alreadyVoted) {
    show($("ballot"), false);
    show($("confirm"), false);
    $("voted-title").textContent = alreadyVoted && !receipt ? t("already_voted") : t("recorded");
    $("receipt").textContent = receipt || "";
    show($("receipt-line"), !!receipt);
    show($("receipt-help"), !!receipt);
    // the receipt rides in the fragment, which the browser never sends: the check runs on the phone
    if (receipt && poll) $("receipt-check").href = "/polls/" + poll.id + "/ballots#receipt=" + encodeURIComponent(receipt);
    show($("waiting"), !!(poll && poll.status === "open"));
    show($("voted"), true);
  }

  function voted(answer, pollId) {
    sending = false;
    $("confirm-yes").disabled = false;
    $("confirm-yes").textContent = t("confirm");
    if (answer && answer.receipt !== undefined) {
      storeReceipt(pollId, answer.receipt);
      if (poll && poll.id === pollId) poll.voted = true;
      if (poll && poll.id === pollId) { showVoted(answer.receipt, false); $("voted").focus(); }
      return;
    }
    var error = answer && answer.error;
    if (error && error.code === "already_voted") { if (poll && poll.id === pollId) poll.voted = true; showVoted(storedReceipt(pollId), true); return; }
    var message = t("vote_failed", {reason: (error && error.message) || t("offline")});
    $("vote-error").textContent = message;
    show($("vote-error"), true);
    if (poll && poll.status === "open") renderBallot();
  }

  function send() {
    if (sending || !poll || pending === null) return;
    sending = true;
    $("confirm-yes").disabled = true;
    $("confirm-yes").textContent = t("sending");
    show($("vote-error"), false);
    var pollId = poll.id, choice = pending;
    if (socket && socket.connected) {
      socket.timeout(15000).emit("vote", {poll_id: pollId, choice: choice}, function (timedOut, answer) {
        if (timedOut) { sendOverHttp(pollId, choice); return; }
        voted(answer, pollId);
      });
    } else {
      sendOverHttp(pollId, choice);
    }
  }

  function sendOverHttp(pollId, choice) {
    // The same rules as the socket: a second vote answers 409 already_voted, so a retry is safe.
    X.api("POST", "/polls/" + pollId + "/votes", {choice: choice}).then(function (answer) {
      voted(answer.ok ? answer.body : answer.body, pollId);
    });
  }

  $("confirm-yes").addEventListener("click", send);
  $("confirm-change").addEventListener("click", function () { pending = null; renderBallot(); });

  setPresent(present);
  socket = X.live({
    state: function (state) {
      X.setCurrentItem(state.item || null);
      if (state.present !== undefined) setPresent(state.present);
      if (state.poll) { applyPoll(state.poll, !!state.voted); return; }
      // no open poll: show the newest result on the current item (it may have closed while we were away)
      var itemId = state.item ? state.item.id : null;
      var asked = poll;
      X.lastClosedPoll(itemId).then(function (closed) {
        // a poll opened meanwhile (or another item came up) wins over this older answer
        if (poll !== asked || X.data.current_item_id !== itemId || (poll && poll.status === "open")) return;
        if (closed) applyPoll(closed, closed.voted);
        else if (poll) hidePoll();
      });
    },
    "agenda.current": function (payload) {
      X.setCurrentItem(payload.item || null);
      if (poll && poll.status !== "open") hidePoll();
    },
    "poll.opened": function (payload) { if (payload.poll) applyPoll(payload.poll, !!payload.poll.voted); },
    "poll.progress": function (payload) {
      if (!poll || poll.id !== payload.poll_id) return;
      Object.assign(poll, payload, {id: poll.id});
      $("poll-count").textContent = X.turnoutText(poll);
    },
    "attendance.changed": function (payload) {
      if (payload.user_id === X.data.user_id) setPresent(payload.present);
    },
    "meeting.adjourned": function () { X.data.adjourned = true; setPresent(present); },
    "poll.closed": function (payload) {
      if (poll && poll.id === payload.poll_id) {
        poll.status = "closed"; poll.result = payload.result;
        applyPoll(poll, poll.voted);
      } else {
        X.api("GET", "/polls/" + payload.poll_id).then(function (answer) { if (answer.ok) applyPoll(answer.body, answer.body.voted); });
      }
    }
  });
})();
