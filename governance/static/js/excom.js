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
     "attendance.changed"].forEach(function (name) {
      socket.on(name, function (payload) { if (handlers[name]) handlers[name](payload || {}); });
    });
    socket.on("meeting.adjourned", function (payload) {
      show($("adjourned"), true);
      if (handlers["meeting.adjourned"]) handlers["meeting.adjourned"](payload || {});
    });
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

  function choiceLabel(poll, value) {
    var key = String(value);
    if (key === "yes" || key === "no" || key === "abstain") return t(key);
    var choices = (poll && poll.choices) || [];
    for (var i = 0; i < choices.length; i++) {
      if (String(choices[i].value) === key) return choices[i].label;
    }
    return key;
  }

  function countText(cast, eligible) { return t("cast_of", {cast: cast, eligible: eligible}); }

  function statusLine(poll, result) {
    switch (result.status) {
      case "adopted": return t("adopted");
      case "rejected": return t("rejected");
      case "elected": return t("elected", {name: choiceLabel(poll, result.winner)});
      case "runoff": return t("runoff");
      case "void": return t("void");
      case "tied": return t("tied");
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

  /* A plain HTML/CSS bar chart: widths are set through the CSSOM, which the CSP allows. */
  function barChart(poll, counts, threshold) {
    var keys = orderedCounts(poll, counts);
    var total = keys.reduce(function (sum, key) { return sum + (Number(counts[key]) || 0); }, 0);
    var scale = Math.max(total, Number(threshold) || 0, 1);
    var list = el("ul", {className: "bars"});
    keys.forEach(function (key) {
      var n = Number(counts[key]) || 0;
      var fill = el("span", {className: "bar-fill bar-" + key.replace(/[^a-z0-9_-]/gi, "")});
      fill.style.width = (100 * n / scale).toFixed(1) + "%";
      var track = el("span", {className: "bar-track"}, [fill]);
      if (threshold && key === "yes") {
        var mark = el("span", {className: "bar-threshold", title: t("threshold", {n: threshold})});
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

  function renderResult(container, poll, result) {
    if (!container) return;
    container.textContent = "";
    if (!result) { show(container, false); return; }
    container.appendChild(el("p", {className: "result-status status-" + result.status, text: statusLine(poll, result)}));
    if (result.counts) container.appendChild(barChart(poll, result.counts, result.threshold));
    var meta = [];
    if (result.threshold) meta.push(t("threshold", {n: result.threshold}));
    var ballots = result.ballots !== undefined ? result.ballots : result.cast;
    if (ballots !== undefined) meta.push(countText(ballots, result.eligible));
    if (result.quorate !== undefined) meta.push(result.quorate ? t("quorate") : t("not_quorate"));
    container.appendChild(el("p", {className: "result-meta", text: meta.join(" · ")}));
    if (result.casting_vote !== undefined && result.casting_vote !== null) {
      container.appendChild(el("p", {className: "result-next result-casting", text: t("casting_vote_given", {name: choiceLabel(poll, result.casting_vote)})}));
    }
    var level = result.status === "tied" && result.counts
      ? Object.keys(result.counts).filter(function (key) { return key !== "abstain"; }).map(function (key) { return choiceLabel(poll, key); }) : [];
    if (level.length) {
      container.appendChild(el("p", {className: "result-next", text: t("tied_between", {names: level.join(", ")})}));
    }
    if (result.status === "runoff" && result.next_round && result.next_round.candidates) {
      var names = result.next_round.candidates.map(function (c) { return choiceLabel(poll, c && c.id !== undefined ? c.id : c); });
      container.appendChild(el("p", {className: "result-next", text: t("next_round_candidates", {names: names.join(", ")})}));
    }
    show(container, true);
  }

  function pollHeading(poll, motion) {
    var title = (motion && motion.title) || (poll.motion && poll.motion.title) || poll.title || "";
    var meta = [];
    if (poll.round && poll.round > 1) meta.push(t("round", {n: poll.round}));
    meta.push(poll.secret ? t("secret_ballot") : t("named_vote"));
    return {title: title, text: (motion && motion.text) || "", meta: meta.join(" · ")};
  }

  function setProgress(node, cast, eligible) {
    if (node) node.style.width = (eligible ? (100 * cast / eligible) : 0).toFixed(1) + "%";
  }

  window.Excom = {data: data, t: t, $: $, el: el, show: show, api: api, errorText: errorText, live: live,
                  setCurrentItem: setCurrentItem, loadMotion: loadMotion, lastClosedPoll: lastClosedPoll, choiceLabel: choiceLabel,
                  countText: countText, renderResult: renderResult, pollHeading: pollHeading,
                  setProgress: setProgress};
})();
