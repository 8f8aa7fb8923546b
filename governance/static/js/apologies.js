/* The delegate's apologies before the meeting: POST /api/v1/meetings/{id}/apologies. */
(function () {
  "use strict";
  var X = window.Excom, $ = X.$, show = X.show;
  var words = {sent: $("apologies-state").getAttribute("data-sent"), none: $("apologies-state").getAttribute("data-none")};

  function send(excused) {
    var button = excused ? $("send-apologies") : $("withdraw-apologies");
    button.disabled = true;
    X.api("POST", "/meetings/" + X.data.meeting_id + "/apologies", {excused: excused}).then(function (answer) {
      button.disabled = false;
      if (!answer.ok) {
        $("apologies-error").textContent = X.errorText(answer);
        show($("apologies-error"), true);
        return;
      }
      show($("apologies-error"), false);
      var now = answer.body.excused;
      $("apologies").setAttribute("data-excused", now ? "true" : "false");
      $("apologies-state").textContent = now ? words.sent : words.none;
      show($("send-apologies"), !now);
      show($("withdraw-apologies"), now);
      (now ? $("withdraw-apologies") : $("send-apologies")).focus();
    });
  }
  $("send-apologies").addEventListener("click", function () { send(true); });
  $("withdraw-apologies").addEventListener("click", function () { send(false); });
})();
