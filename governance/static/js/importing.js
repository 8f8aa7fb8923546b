/* A list imported from a CSV or XLSX file in two steps: "Preview" sends the file to the API's
   preview route (nothing is stored) and shows every row with what it would do and its
   problems; "Import N rows" sends the same file to the import route, which stores every row or
   none. When done, the box fires "excom:imported" on itself with the report. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, el = X.el, show = X.show, F = X.form;

  /* a row's values as a person reads them: yes/no, and a group, category or status in words */
  function describe(values) {
    return Object.keys(values).map(function (key) {
      var value = values[key], word = key + "_" + value;
      if (value === true) value = t("yes");
      else if (value === false) value = "–";
      else if (t(word) !== word) value = t(word);
      return key + ": " + value;
    }).join(" · ");
  }

  function setUp(box) {
    var form = box.querySelector("[data-import-form]"), input = form.querySelector("input[type=file]");
    var preview = box.querySelector("[data-import-preview]"), rows = box.querySelector("[data-import-rows]");
    var summary = box.querySelector("[data-import-summary]"), confirm = box.querySelector("[data-import-confirm]");
    var done = box.querySelector("[data-import-done]"), errorBox = box.querySelector("[data-import-error]");
    var file = null;

    function fail(answer) {
      errorBox.textContent = X.errorText(answer);
      show(errorBox, true);
      done.textContent = "";
    }

    function render(report) {
      rows.textContent = "";
      report.rows.forEach(function (row) {
        var problems = Object.keys(row.problems || {}).map(function (column) {
          return column + ": " + row.problems[column].join(" ");
        });
        rows.appendChild(el("tr", {className: "import-" + row.action, "data-line": String(row.line)}, [
          el("td", {text: String(row.line)}),
          el("td", {}, [el("span", {className: "badge import-badge-" + row.action, text: t("action_" + row.action)})]),
          el("td", {className: "import-values", text: describe(row.values || {})}),
          el("td", {className: "import-problems", text: problems.join("; ")})
        ]));
      });
      var c = report.counts || {};
      var text = t("preview_counts", {create: (c.create || 0) + (c.add || 0), update: c.update || 0,
                                      unchanged: c.unchanged || 0, error: c.error || 0});
      if (report.problems && report.problems.length) text = report.problems.join(" ") + " " + text;
      if (report.ignored_columns && report.ignored_columns.length) text += " " + t("preview_ignored", {columns: report.ignored_columns.join(", ")});
      summary.textContent = text;
      var importable = (c.create || 0) + (c.add || 0) + (c.update || 0);
      confirm.textContent = t("import_rows", {n: importable});
      show(confirm, report.valid && importable > 0);
      if (!report.valid) { errorBox.textContent = t("nothing_to_import"); show(errorBox, true); }
      show(preview, true);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(errorBox, false);
      done.textContent = "";
      if (!input.files.length) { fail({body: {error: {message: t("choose_file")}}}); return; }
      file = input.files[0];
      var data = new FormData();
      data.append("file", file);
      F.busy(form, true);
      F.upload("POST", box.getAttribute("data-preview-url"), data).then(function (answer) {
        F.busy(form, false);
        if (!answer.ok) { show(preview, false); fail(answer); return; }
        render(answer.body);
        summary.focus && summary.setAttribute("tabindex", "-1");
      });
    });

    confirm.addEventListener("click", function () {
      if (!file) return;
      var data = new FormData();
      data.append("file", file);
      confirm.disabled = true;
      F.upload("POST", box.getAttribute("data-import-url"), data).then(function (answer) {
        confirm.disabled = false;
        if (!answer.ok) { fail(answer); return; }
        var c = answer.body.counts || {};
        show(errorBox, false);
        show(preview, false);
        form.reset();
        file = null;
        done.textContent = t("imported", {create: (c.create || 0) + (c.add || 0), update: c.update || 0});
        box.dispatchEvent(new CustomEvent("excom:imported", {detail: answer.body, bubbles: true}));
      });
    });
  }

  document.querySelectorAll("[data-import]").forEach(setUp);
})();
