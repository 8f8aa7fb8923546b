/* Checks a receipt against the published ballots on this page, in the browser: the receipt
   comes from the link's fragment (#receipt=..., never sent to the server), from what this
   phone kept when it voted, or from the box; the matching row is marked. */
(function () {
  "use strict";
  var form = document.getElementById("receipt-form");
  if (!form) return;
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var input = document.getElementById("receipt-code");
  var found = document.getElementById("receipt-found");
  var missing = document.getElementById("receipt-missing");

  function check(code) {
    code = (code || "").trim();
    document.querySelectorAll("#ballots tr.is-mine").forEach(function (row) {
      row.classList.remove("is-mine");
      row.removeAttribute("aria-current");
    });
    found.hidden = missing.hidden = true;
    if (!code) return;
    var row = null;
    document.querySelectorAll("#ballots tr[data-receipt]").forEach(function (candidate) {
      if (candidate.getAttribute("data-receipt").toLowerCase() === code.toLowerCase()) row = candidate;
    });
    if (!row) { missing.hidden = false; return; }
    row.classList.add("is-mine");
    row.setAttribute("aria-current", "true");
    found.textContent = found.getAttribute("data-template").replace("%(choice)s", row.cells[1].textContent);
    found.hidden = false;
    row.scrollIntoView({block: "center"});
  }

  var fromLink = /(?:^|&)receipt=([^&]*)/.exec(location.hash.replace(/^#/, ""));
  var kept = null;
  try { kept = localStorage.getItem("excom-receipt-" + data.user_id + "-" + data.poll_id); } catch (e) { kept = null; }
  input.value = fromLink ? decodeURIComponent(fromLink[1]) : (kept || "");
  form.addEventListener("submit", function (event) { event.preventDefault(); check(input.value); });
  if (input.value) check(input.value);
})();
