/* The speakers' list of the current item, on the delegate's phone (ask to speak in the room or
   online, a point of order, a question in writing), the chair's console (one queue: start, stop,
   answered, add) and the projector (who has the floor, with a timer that ticks here, counting
   from started_at on the server's clock). Kept live by speakers.changed. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var box = $("speakers");
  if (!box || !X.socket) return;
  var mode = box.getAttribute("data-speakers");  // phone, chair, screen
  var speakingTime = Number(box.getAttribute("data-speaking-time")) || 180;
  var me = X.data.user_id;
  var state = {itemId: null, queue: [], current: null};
  var clockOffset = 0;  // server clock minus this browser's, in milliseconds
  var ticking = null;

  function fail(message) {
    var node = $("speakers-error");
    if (!node) return;
    node.textContent = message || "";
    show(node, !!message);
  }

  function who(entry) { return entry.name + (entry.affiliation ? " (" + entry.affiliation + ")" : ""); }

  function kindText(entry) {
    var parts = [];
    if (entry.kind === "point_of_order") parts.push(t("point_of_order"));
    if (entry.kind === "question") parts.push(t("question"));
    parts.push(entry.mode === "online" ? t("online_mode") : t("in_person"));
    return parts.join(" · ");
  }

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  function tick() {
    var timer = $("floor-timer");
    if (!timer) return;
    if (!state.current || !state.current.started_at) { show(timer, false); return; }
    var elapsed = (Date.now() + clockOffset - Date.parse(state.current.started_at)) / 1000;
    timer.textContent = t("floor_time", {elapsed: clock(elapsed), limit: clock(speakingTime)});
    timer.setAttribute("data-elapsed", String(Math.max(0, Math.floor(elapsed))));
    timer.classList.toggle("is-over", elapsed > speakingTime);
    show(timer, true);
  }

  function button(text, onclick, className) {
    return el("button", {type: "button", className: "button small" + (className ? " " + className : ""), onclick: onclick, text: text});
  }

  function act(method, path, body) {
    fail("");
    return X.api(method, path, body).then(function (answer) {
      if (!answer.ok && answer.status !== 204) fail(X.errorText(answer));
      else refresh();
      return answer;
    });
  }

  function render() {
    var current = state.current;
    box.setAttribute("data-item-id", state.itemId === null ? "" : String(state.itemId));
    if (mode !== "chair") show(box, state.itemId !== null && (mode !== "screen" || !!current));
    $("floor-who").textContent = current ? who(current) + " · " + kindText(current)
      : (mode === "screen" ? "" : t("floor_nobody"));
    var stop = $("floor-stop");
    if (stop) show(stop, !!current);
    var list = $("speaker-queue");
    list.textContent = "";
    var shown = mode === "screen" ? state.queue.slice(0, 3) : state.queue;
    shown.forEach(function (entry) {
      var children = [el("span", {className: "speaker-name", text: who(entry)}),
                      el("span", {className: "speaker-kind", text: kindText(entry)})];
      if (entry.text && mode !== "screen") children.push(el("span", {className: "speaker-text", text: "“" + entry.text + "”"}));
      if (mode === "chair") {
        var actions = el("span", {className: "speaker-actions"});
        actions.appendChild(button(t("give_floor"), function () { act("POST", "/speakers/" + entry.id + "/start"); }, "primary"));
        if (entry.kind === "question") actions.appendChild(button(t("answered"), function () { act("POST", "/speakers/" + entry.id + "/answered"); }));
        actions.appendChild(button(t("remove"), function () { act("DELETE", "/speakers/" + entry.id); }));
        children.push(actions);
      }
      list.appendChild(el("li", {className: "speaker kind-" + entry.kind, "data-speaker-id": String(entry.id),
                                 "data-user-id": String(entry.user_id)}, children));
    });
    var empty = $("queue-empty");
    if (empty) show(empty, !state.queue.length && mode !== "screen");
    if (mode === "phone") renderMine();
    tick();
  }

  function renderMine() {
    var mine = null, place = 0;
    state.queue.forEach(function (entry, index) { if (!mine && entry.user_id === me && entry.kind !== "question") { mine = entry; place = index + 1; } });
    var speaking = state.current && state.current.user_id === me;
    var text = speaking ? t("you_have_the_floor") : (mine ? t("your_place", {n: place}) : "");
    $("speakers-mine-text").textContent = text;
    show($("speakers-mine"), !!text);
    $("speakers-withdraw").hidden = !mine && !speaking;
    $("speakers-withdraw").onclick = function () { act("DELETE", "/speakers/" + (speaking ? state.current.id : mine.id)); };
    document.querySelectorAll("[data-speak]").forEach(function (b) { b.disabled = !!mine && b.getAttribute("data-speak") === "speech"; });
  }

  function apply(payload) {
    if (payload.server_time) clockOffset = Date.parse(payload.server_time) - Date.now();
    if (payload.speaking_time) speakingTime = payload.speaking_time;
    state = {itemId: payload.item_id, queue: payload.queue || [], current: payload.current || null};
    render();
  }

  function refresh() {
    var itemId = X.data.current_item_id;
    if (!itemId) { state = {itemId: null, queue: [], current: null}; render(); return; }
    fetch("/api/v1/items/" + itemId + "/speakers", {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        var date = Date.parse(response.headers.get("Date") || "");
        if (!isNaN(date)) clockOffset = date - Date.now();
        return response.ok ? response.json() : null;
      })
      .then(function (entries) {
        if (!entries || X.data.current_item_id !== itemId) return;
        apply({item_id: itemId, queue: entries.filter(function (e) { return e.status === "waiting"; }),
               current: entries.filter(function (e) { return e.status === "speaking"; })[0] || null});
      })
      .catch(function () { /* the next event or reconnect brings the list */ });
  }

  X.socket.on("speakers.changed", function (payload) {
    if (payload && payload.item_id === X.data.current_item_id) apply(payload);
  });
  X.socket.on("agenda.current", function () { refresh(); });
  X.socket.on("connect", function () { refresh(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") refresh(); });
  ticking = setInterval(tick, 250);

  /* --- the phone ------------------------------------------------------------------------ */

  function ask(body) {
    if (!X.data.current_item_id) return Promise.resolve(null);
    return act("POST", "/items/" + X.data.current_item_id + "/speakers", body);
  }

  document.querySelectorAll("[data-speak]").forEach(function (b) {
    b.addEventListener("click", function () {
      var body = {kind: b.getAttribute("data-speak")};
      if (b.getAttribute("data-mode")) body.mode = b.getAttribute("data-mode");
      ask(body);
    });
  });
  var questionForm = $("question-form");
  if (questionForm) questionForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("question-text").value.trim();
    if (!text) return;
    ask({kind: "question", text: text}).then(function (answer) { if (answer && answer.ok) $("question-text").value = ""; });
  });

  /* --- the chair -------------------------------------------------------------------------- */

  var stopButton = $("floor-stop");
  if (stopButton) stopButton.addEventListener("click", function () {
    if (state.current) act("POST", "/speakers/" + state.current.id + "/stop");
  });
  var addForm = $("speaker-add");
  if (addForm) {
    X.api("GET", "/meetings/" + X.data.meeting_id + "/participants").then(function (answer) {
      if (!answer.ok) return;
      var select = $("speaker-person");
      answer.body.slice().sort(function (a, b) { return (a.affiliation || a.name).localeCompare(b.affiliation || b.name); })
        .forEach(function (p) { select.appendChild(el("option", {value: String(p.user_id), text: (p.affiliation ? p.affiliation + " – " : "") + p.name})); });
    });
    addForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!X.data.current_item_id) { fail(t("no_current_item")); return; }
      act("POST", "/items/" + X.data.current_item_id + "/speakers",
          {kind: $("speaker-kind").value, mode: $("speaker-mode").value, user_id: Number($("speaker-person").value)});
    });
  }

  refresh();
})();
