/* The shared part of every meeting page: page data, translations, the API with the CSRF
   token, the live connection (which re-joins after every reconnect and takes the true
   state from the join answer), the agenda's current item and the result chart.
   Plain JavaScript, no build step; the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("page-data").textContent);
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = csrfMeta ? csrfMeta.getAttribute("content") : "";

  function t(key, params) {
    var text = (data.messages && data.messages[key]) || key;
    if (params) {
      Object.keys(params).forEach(function (name) {
        text = text.split("%(" + name + ")s").join(String(params[name]));
      });
    }
    return text;
  }

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function show(node, visible) { if (node) node.hidden = !visible; }

  /* fetch /api/v1 with the session cookie and the CSRF token; never throws. */
  function api(method, path, body) {
    var options = {method: method, credentials: "same-origin",
                   headers: {"Accept": "application/json", "X-CSRFToken": csrfToken}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch("/api/v1" + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return {ok: response.ok, status: response.status, body: json};
      });
    }).catch(function (error) {
      return {ok: false, status: 0, body: {error: {code: "network", message: t("offline")}}};
    });
  }

  function errorText(answer) {
    var error = answer && answer.body && answer.body.error;
    return (error && error.message) || (answer && answer.error && answer.error.message) || t("offline");
  }

  /* --- the live connection ------------------------------------------------------------ */

  function setConnection(state) {
    var node = $("connection");
    if (!node) return;
    node.setAttribute("data-state", state);
    node.textContent = t({connecting: "connecting", online: "online", offline: "offline",
                          signed_out: "signed_out"}[state]);
    if (state === "signed_out") {
      node.appendChild(document.createTextNode(" "));
      node.appendChild(el("a", {href: "/login?next=" + encodeURIComponent(location.pathname), text: "→"}));
    }
  }

  function live(handlers) {
    setConnection("connecting");
    var socket = io({reconnectionDelay: 500, reconnectionDelayMax: 5000});
    window.Excom.socket = socket;  // for the browser tests and for curious people at the console
    function join() {
      socket.emit("join", {meeting_id: data.meeting_id}, function (answer) {
        if (answer && answer.ok) {
          setConnection("online");
          if (handlers.state) handlers.state(answer.state || {});
        } else if (answer && answer.error && answer.error.code === "unauthorized") {
          setConnection("signed_out");
        } else {
          setConnection("offline");
        }
      });
    }
    socket.on("connect", join);
    socket.on("disconnect", function (reason) {
      setConnection("offline");
      // The server ended the connection (a restart, say): the client does not retry on its own then.
      if (reason === "io server disconnect") setTimeout(function () { socket.connect(); }, 1000);
    });
    socket.on("connect_error", function () {
      // A refused connection (no valid session) is not retried by the client: say so.
      setConnection(socket.active ? "offline" : "signed_out");
    });
    ["agenda.current", "poll.opened", "poll.progress", "poll.closed", "quorum.changed",
     "attendance.changed", "memorandum.built", "memorandum.mail"].forEach(function (name) {
      socket.on(name, function (payload) { if (handlers[name]) handlers[name](payload || {}); });
    });
    socket.on("meeting.adjourned", function (payload) {
      show($("adjourned"), true);
      if (handlers["meeting.adjourned"]) handlers["meeting.adjourned"](payload || {});
    });
    // This person's rights changed (a new group, a suspension...): the server has moved this
    // connection already; the page reloads to show what they may see now (or nothing, 404).
    socket.on("rights.changed", function () { location.reload(); });
    // Back from a sleeping phone or a hidden tab: make sure the state is the true one.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && socket.connected) join();
    });
    return socket;
  }

  /* --- the agenda --------------------------------------------------------------------- */

  function setCurrentItem(item) {
    var id = item ? item.id : null;
    data.current_item_id = id;
    document.querySelectorAll(".agenda-item").forEach(function (row) {
      var current = id !== null && Number(row.getAttribute("data-item-id")) === id;
      row.classList.toggle("is-current", current);
      if (current) row.setAttribute("aria-current", "step"); else row.removeAttribute("aria-current");
    });
    var now = $("now-item");
    if (now) {
      now.textContent = "";
      if (item) {
        if (item.number) { now.appendChild(el("span", {className: "item-number", text: item.number})); now.appendChild(document.createTextNode(" ")); }
        now.appendChild(document.createTextNode(item.title));
      } else {
        now.appendChild(el("span", {className: "muted", text: t("no_current_item")}));
      }
    }
  }

  /* --- polls and results -------------------------------------------------------------- */

  var motions = {};

  function loadMotion(motionId) {
    if (motions[motionId]) return Promise.resolve(motions[motionId]);
    return api("GET", "/motions/" + motionId).then(function (answer) {
      if (answer.ok) motions[motionId] = answer.body;
      return answer.ok ? answer.body : null;
    });
  }

  /* The newest closed poll on an item, for a page opened (or reconnected) after the close. */
  function lastClosedPoll(itemId) {
    if (!itemId) return Promise.resolve(null);
    return api("GET", "/items/" + itemId + "/motions").then(function (answer) {
      if (!answer.ok || !Array.isArray(answer.body)) return null;
      var newest = null;
      answer.body.forEach(function (motion) {
        (motion.rounds || []).forEach(function (round) { if (!newest || round.poll_id > newest.poll_id) newest = round; });
      });
      if (!newest) return null;
      return api("GET", "/polls/" + newest.poll_id).then(function (poll) { return poll.ok ? poll.body : null; });
    });
  }

  /* --- one vocabulary of counts: ballots, votes cast, abstentions ----------------------- */

  /* While a poll is open: "7 of 9 present have voted; 12 eligible" (and the ballots when a
     voter has left since). `p` is a poll, a poll.progress payload or a turnout answer. */
  function turnoutText(p) {
    if (!p) return "";
    var ballots = p.ballots !== undefined ? p.ballots : (p.cast || 0);
    if (p.present === undefined) return t("ballots_of_eligible", {n: ballots, eligible: p.eligible || 0});
    var text = t("turnout", {voted: p.present_voted || 0, present: p.present, eligible: p.eligible || 0});
    if (ballots !== (p.present_voted || 0)) text += " · " + t("ballots_n", {n: ballots});
    return text;
  }

  function turnoutShare(p) {
    if (!p) return [0, 0];
    if (p.present !== undefined) return [p.present_voted || 0, p.present];
    return [p.ballots !== undefined ? p.ballots : (p.cast || 0), p.eligible || 0];
  }

  /* After the close: "Ballots: 12 · Votes cast: 11 · Abstentions: 1" (+ exhausted, by IRV). */
  function countsText(result) {
    var ballots = result.ballots !== undefined ? result.ballots : (result.cast || 0) + (result.abstain || 0);
    var text = t("counts_line", {ballots: ballots, cast: result.cast || 0, abstain: result.abstain || 0});
    if (result.rule === "irv" && result.exhausted !== undefined) text += " · " + t("exhausted_n", {n: result.exhausted});
    return text + " · " + t("eligible_n", {n: result.eligible || 0});
  }

  /* The majority a motion needs, before the vote, in words a delegate reads right. */
  function majorityText(poll) {
    if (!poll) return "";
    if (poll.method === "assessment") {
      var scale = (poll.motion && poll.motion.scale) || {min: 1, max: 5};
      return t("rule_assessment", {min: scale.min, max: scale.max});
    }
    if (poll.method === "irv") return t("rule_irv");
    if (poll.method === "exhaustive") return poll.reason === "tie_break" ? t("threshold_tie_break") : t("rule_exhaustive");
    var rule = (poll.motion && poll.motion.majority) || "simple";
    var n = Math.floor((poll.eligible || 0) / 2) + 1;
    return t("rule_" + rule, {members: poll.eligible || 0, n: n});
  }

  /* The threshold of a result, with its numbers where the rule rests on a fixed base. */
  function thresholdText(poll, result) {
    var n = result.threshold;
    switch (result.rule) {
      case "simple": case "two_thirds": return t("rule_" + result.rule);
      case "absolute_all": return t("rule_absolute_all", {members: result.eligible, n: n});
      case "absolute_present": case "two_thirds_present": case "unanimous_present":
        return t("threshold_" + result.rule, {present: result.present, n: n});
      case "exhaustive":
        return poll && poll.reason === "tie_break" ? t("threshold_tie_break") : t("threshold_exhaustive", {cast: result.cast || 0, n: n});
      case "irv":
        var rounds = result.rounds || [], last = rounds[rounds.length - 1] || {};
        return t("threshold_irv", {counting: last.counting !== undefined ? last.counting : result.cast, round: last.round || rounds.length || 1, n: n});
      default: return "";
    }
  }

  function choiceLabel(poll, value) {
    var key = String(value);
    if (key === "yes" || key === "no" || key === "abstain") return t(key);
    var choices = (poll && poll.choices) || [];
    for (var i = 0; i < choices.length; i++) {
      if (String(choices[i].value) === key) return choices[i].label;
    }
    return key;
  }

  function names(poll, values) {
    return (values || []).map(function (v) { return choiceLabel(poll, v); }).join(", ");
  }

  function statusLine(poll, result) {
    switch (result.status) {
      case "adopted": return t("adopted");
      case "rejected": return t("rejected");
      case "elected": return t("elected", {name: choiceLabel(poll, result.winner)});
      case "runoff": return t("runoff");
      case "void": return t("void");
      case "recorded": return t("scores_recorded");
      case "tied": return (result.level && result.level.length) ? t("tied") : t("tied_nothing_counted");
      default: return result.status || "";
    }
  }

  function orderedCounts(poll, counts) {
    var keys = [];
    ((poll && poll.choices) || []).forEach(function (choice) {
      if (Object.prototype.hasOwnProperty.call(counts, String(choice.value))) keys.push(String(choice.value));
    });
    Object.keys(counts).forEach(function (key) { if (keys.indexOf(key) < 0) keys.push(key); });
    return keys;
  }

  /* A plain HTML/CSS bar chart: widths are set through the CSSOM, which the CSP allows. The
     dashed line is what a choice must reach: the yes bar's for a motion, every candidate's for
     a ballot (the deciding round's threshold, by instant runoff). */
  function barChart(poll, counts, threshold, thresholdLabel) {
    var keys = orderedCounts(poll, counts);
    var total = keys.reduce(function (sum, key) { return sum + (Number(counts[key]) || 0); }, 0);
    var scale = Math.max(total, Number(threshold) || 0, 1);
    var candidates = poll && poll.method && poll.method !== "yes_no";
    var list = el("ul", {className: "bars"});
    keys.forEach(function (key) {
      var n = Number(counts[key]) || 0;
      var fill = el("span", {className: "bar-fill bar-" + key.replace(/[^a-z0-9_-]/gi, "")});
      fill.style.width = (100 * n / scale).toFixed(1) + "%";
      var track = el("span", {className: "bar-track"}, [fill]);
      if (threshold && (key === "yes" || (candidates && key !== "abstain"))) {
        var mark = el("span", {className: "bar-threshold", title: thresholdLabel || ""});
        mark.style.left = (100 * threshold / scale).toFixed(1) + "%";
        track.appendChild(mark);
      }
      list.appendChild(el("li", {className: "bar-row"}, [
        el("span", {className: "bar-label", text: choiceLabel(poll, key)}),
        track,
        el("span", {className: "bar-value", text: String(n)})
      ]));
    });
    return list;
  }

  /* Every round of an instant-runoff count, each with its own votes cast (the ballots still
     counting), threshold and exhausted ballots, and what settled its tie for last place. */
  function roundsTable(poll, result) {
    var rounds = result.rounds || [];
    if (result.rule !== "irv" || !rounds.length) return null;
    var candidates = orderedCounts(poll, rounds[0].counts || {});
    var head = el("tr", {}, [el("th", {scope: "col", text: t("round_col")})].concat(
      candidates.map(function (key) { return el("th", {scope: "col", text: choiceLabel(poll, key)}); }),
      [el("th", {scope: "col", text: t("counting_col")}), el("th", {scope: "col", text: t("needed_col")}),
       el("th", {scope: "col", text: t("exhausted_col")}), el("th", {scope: "col", text: t("outcome_col")})]));
    var body = el("tbody");
    rounds.forEach(function (round, index) {
      var counts = round.counts || {}, what = [];
      if (round.level && round.level.length) what.push(t("irv_level", {names: names(poll, round.level)}));
      if (round.casting_votes && round.casting_votes.length) what.push(t("irv_casting", {names: names(poll, round.casting_votes)}));
      if (round.eliminated && round.eliminated.length) what.push(t("irv_eliminated", {names: names(poll, round.eliminated)}));
      if (index === rounds.length - 1 && result.status === "elected") what.push(t("elected", {name: choiceLabel(poll, result.winner)}));
      body.appendChild(el("tr", {"data-round": String(round.round || index + 1)}, [
        el("th", {scope: "row", text: t("irv_round", {n: round.round || index + 1})})].concat(
        candidates.map(function (key) {
          return el("td", {text: Object.prototype.hasOwnProperty.call(counts, key) ? String(counts[key]) : "–"});
        }),
        [el("td", {text: String(round.counting)}), el("td", {text: String(round.threshold)}),
         el("td", {text: String(round.exhausted)}), el("td", {text: what.join(" ")})])));
    });
    return el("table", {className: "rounds"}, [el("caption", {text: t("rounds_heading")}), el("thead", {}, [head]), body]);
  }

  /* An assessment's table: a row per subject with its count, mean (drawn as a bar along the
     scale), median and how many gave each score. The bar runs from the scale's lowest score. */
  function scoreTable(result) {
    var scale = result.scale || {min: 1, max: 5}, span = Math.max(scale.max - scale.min, 1);
    var head = el("tr", {}, [t("subject_col"), t("count_col"), t("mean_col"), t("median_col"), t("distribution_col")]
      .map(function (text) { return el("th", {scope: "col", text: text}); }));
    var body = el("tbody");
    (result.subjects || []).forEach(function (row) {
      var none = row.mean === null || row.mean === undefined;
      var fill = el("span", {className: "bar-fill bar-score"});
      fill.style.width = (none ? 0 : 100 * (row.mean - scale.min) / span).toFixed(1) + "%";
      var distribution = Object.keys(row.distribution || {}).map(function (score) {
        return score + ": " + row.distribution[score];
      }).join(" · ");
      body.appendChild(el("tr", {"data-subject": row.name}, [
        el("th", {scope: "row", text: row.name}),
        el("td", {className: "score-count", text: String(row.count)}),
        el("td", {className: "score-mean"}, [el("span", {className: "score-mean-value", text: none ? "–" : String(row.mean)}),
                                           el("span", {className: "bar-track score-bar", "aria-hidden": "true"}, [fill])]),
        el("td", {className: "score-median", text: row.median === null || row.median === undefined ? "–" : String(row.median)}),
        el("td", {className: "score-distribution", text: distribution})]));
    });
    return el("table", {className: "score-table"}, [
      el("caption", {text: t("scores_caption", {min: scale.min, max: scale.max})}), el("thead", {}, [head]), body]);
  }

  function renderResult(container, poll, result) {
    if (!container) return;
    container.textContent = "";
    if (!result) { show(container, false); return; }
    container.appendChild(el("p", {className: "result-status status-" + result.status, text: statusLine(poll, result)}));
    if (result.rule === "assessment") {
      container.appendChild(scoreTable(result));
      container.appendChild(el("p", {className: "result-counts", text: t("sheets_line", {ballots: result.ballots || 0, cast: result.cast || 0, abstain: result.abstain || 0, eligible: result.eligible || 0})}));
      if (result.quorate === false) container.appendChild(el("p", {className: "result-meta", text: t("not_quorate")}));
      show(container, true);
      return;
    }
    var threshold = thresholdText(poll, result);
    if (result.counts) container.appendChild(barChart(poll, result.counts, result.threshold, threshold));
    container.appendChild(el("p", {className: "result-counts", text: countsText(result)}));
    if (threshold) container.appendChild(el("p", {className: "result-threshold", text: threshold}));
    var meta = [t("abstentions_not_cast")];
    if (result.quorate !== undefined) meta.push(result.quorate ? t("quorate") : t("not_quorate"));
    container.appendChild(el("p", {className: "result-meta", text: meta.join(" · ")}));
    var table = roundsTable(poll, result);
    if (table) container.appendChild(table);
    if (result.casting_vote !== undefined && result.casting_vote !== null && result.rule !== "irv") {
      container.appendChild(el("p", {className: "result-next result-casting", text: t("casting_vote_given", {name: choiceLabel(poll, result.casting_vote)})}));
    }
    if (result.status === "tied" && result.level && result.level.length) {
      container.appendChild(el("p", {className: "result-next", text: t("tied_between", {names: names(poll, result.level)})}));
    }
    if (result.status === "runoff" && result.next_round && result.next_round.candidates) {
      container.appendChild(el("p", {className: "result-next", text: t("next_round_candidates", {names: names(poll, result.next_round.candidates)})}));
    }
    if (result.approves) container.appendChild(el("p", {className: "result-approves", text: approvesText(result.approves)}));
    show(container, true);
  }

  /* Which memorandum a minutes approval puts to the vote (and, once adopted, approved). */
  function approvesText(subject) {
    if (!subject) return "";
    if (subject.external_memorandum_id) return t("approves_external", {title: subject.title, filename: subject.filename});
    if (subject.version) return t("approves_version", {title: subject.title, version: subject.version});
    return subject.title || "";
  }

  /* The proposed text with the changes marked: <del> and <ins> holding plain text only. */
  function changesNode(changes) {
    var box = el("p", {className: "changes"});
    (changes || []).forEach(function (segment) {
      var tag = segment.op === "delete" ? "del" : (segment.op === "insert" ? "ins" : "span");
      box.appendChild(el(tag, {text: segment.text}));
    });
    return box;
  }

  /* What a voter sees above the ballot (phones) or beside the count (projector): the motion's
     words, the majority it needs, a statutes amendment's texts with its changes, the memorandum
     a minutes approval puts to the vote, and the candidates of a ballot. */
  function renderMotionDetail(container, poll, options) {
    if (!container) return;
    container.textContent = "";
    if (!poll) { show(container, false); return; }
    var motion = poll.motion || {};
    if (motion.text && motion.text !== motion.title) container.appendChild(el("p", {className: "motion-text", text: motion.text}));
    if (motion.approves) container.appendChild(el("p", {className: "motion-approves", text: approvesText(motion.approves)}));
    if (motion.member_change) {
      container.appendChild(el("p", {className: "motion-member-change",
                                     text: t("member_change_" + motion.member_change.action, {member: motion.member_change.member})}));
    }
    if (motion.kind === "statutes_amendment") {
      var amendment = el("div", {className: "amendment"}, [
        el("h3", {text: t("current_text")}), el("blockquote", {className: "amendment-current", text: motion.current_text || ""}),
        el("h3", {text: t("proposed_text")}), el("blockquote", {className: "amendment-proposed", text: motion.proposed_text || ""}),
        el("h3", {text: t("changes_marked")})]);
      amendment.appendChild(changesNode(motion.changes));
      container.appendChild(amendment);
    }
    if (options && options.candidates && poll.method === "assessment") {
      var subjects = el("ol", {className: "screen-subjects"});
      (motion.subjects || []).forEach(function (name) { subjects.appendChild(el("li", {text: name})); });
      container.appendChild(subjects);
    } else if (options && options.candidates && poll.method !== "yes_no") {
      var list = el("ul", {className: "screen-candidates"});
      (poll.choices || []).forEach(function (choice) {
        if (choice.value === "abstain") return;
        var item = el("li", {"data-choice": String(choice.value)});
        if (choice.image_url) item.appendChild(el("img", {src: choice.image_url, alt: "", className: "candidate-logo"}));
        item.appendChild(el("span", {className: "candidate-name", text: choice.label}));
        list.appendChild(item);
      });
      container.appendChild(list);
    }
    container.appendChild(el("p", {className: "motion-majority",
                                   text: poll.method === "assessment" ? majorityText(poll) : t("needs", {rule: majorityText(poll)})}));
    show(container, true);
  }

  function pollHeading(poll, motion) {
    var title = (motion && motion.title) || (poll.motion && poll.motion.title) || poll.title || "";
    var meta = [];
    if (poll.round && poll.round > 1) meta.push(t("round", {n: poll.round}));
    meta.push(poll.secret ? t("secret_ballot") : t("named_vote"));
    return {title: title, text: (motion && motion.text) || "", meta: meta.join(" · ")};
  }

  function setProgress(node, done, of) {
    if (node) node.style.width = (of ? (100 * Math.min(done, of) / of) : 0).toFixed(1) + "%";
  }

  window.Excom = {data: data, t: t, $: $, el: el, show: show, api: api, errorText: errorText, live: live,
                  setCurrentItem: setCurrentItem, loadMotion: loadMotion, lastClosedPoll: lastClosedPoll, choiceLabel: choiceLabel,
                  names: names, turnoutText: turnoutText, turnoutShare: turnoutShare, countsText: countsText,
                  majorityText: majorityText, thresholdText: thresholdText, renderResult: renderResult,
                  renderMotionDetail: renderMotionDetail, approvesText: approvesText, pollHeading: pollHeading,
                  setProgress: setProgress};
})();
