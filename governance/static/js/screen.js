/* The projector: the current item; during a vote what is voted on (the motion's words, the
   majority it needs, a statutes amendment's changes, the candidates with their logos) and the
   live count in the words every screen uses; then the result as bars, round by round. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, show = X.show;
  var poll = null;

  function setPoll(newPoll) {
    poll = newPoll;
    show($("poll"), !!poll);
    document.querySelector(".screen").classList.toggle("has-poll", !!poll);
    if (!poll) return;
    var open = poll.status === "open";
    // Once closed, the chart says it all (the counts are in its lines): room for the bars.
    show($("poll-count"), open);
    show(document.querySelector(".screen-poll .progress"), open);
    $("poll").setAttribute("data-poll-id", String(poll.id));
    $("poll").setAttribute("data-status", poll.status);
    $("poll-state").textContent = open ? t("poll_open") : t("poll_closed");
    $("poll-title").textContent = X.pollHeading(poll, null).title;
    if (open) X.renderMotionDetail($("poll-detail"), poll, {candidates: true});
    else show($("poll-detail"), false);
    setCount(poll);
    X.renderResult($("result"), poll, open ? null : poll.result);
    $("poll").classList.toggle("is-closed", !open);
  }

  function setCount(p) {
    $("poll-count").textContent = X.turnoutText(p);
    var share = X.turnoutShare(p);
    X.setProgress($("poll-progress"), share[0], share[1]);
  }

  X.live({
    state: function (state) {
      X.setCurrentItem(state.item || null);
      if (state.poll) { setPoll(state.poll); return; }
      var itemId = state.item ? state.item.id : null;
      var asked = poll;
      X.lastClosedPoll(itemId).then(function (closed) {
        if (poll !== asked || X.data.current_item_id !== itemId || (poll && poll.status === "open")) return;
        setPoll(closed);
      });
    },
    "agenda.current": function (payload) {
      X.setCurrentItem(payload.item || null);
      if (poll && poll.status !== "open") setPoll(null);
    },
    "poll.opened": function (payload) { if (payload.poll) setPoll(payload.poll); },
    "poll.progress": function (payload) {
      if (poll && poll.id === payload.poll_id) { Object.assign(poll, payload, {id: poll.id}); setCount(poll); }
    },
    "poll.closed": function (payload) {
      if (poll && poll.id === payload.poll_id) setPoll(Object.assign({}, poll, {status: "closed", result: payload.result}));
      else X.api("GET", "/polls/" + payload.poll_id).then(function (a) { if (a.ok) setPoll(a.body); });
    }
  });
})();
