/* The projector: the current item, the live count of votes cast, the result as bars. */
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
    // Once closed, the chart says it all (the count is in its last line): room for the bars.
    show($("poll-count"), open);
    show(document.querySelector(".screen-poll .progress"), open);
    $("poll-state").textContent = open ? t("poll_open") : t("poll_closed");
    $("poll-title").textContent = X.pollHeading(poll, null).title;
    setCount(poll.cast || 0, poll.eligible || 0);
    X.renderResult($("result"), poll, open ? null : poll.result);
    $("poll").classList.toggle("is-closed", !open);
  }

  function setCount(cast, eligible) {
    $("poll-count").textContent = X.countText(cast, eligible);
    X.setProgress($("poll-progress"), cast, eligible);
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
      if (poll && poll.id === payload.poll_id) { poll.cast = payload.cast; poll.eligible = payload.eligible; setCount(payload.cast, payload.eligible); }
    },
    "poll.closed": function (payload) {
      if (poll && poll.id === payload.poll_id) setPoll(Object.assign({}, poll, {status: "closed", result: payload.result}));
      else X.api("GET", "/polls/" + payload.poll_id).then(function (a) { if (a.ok) setPoll(a.body); });
    }
  });
})();
