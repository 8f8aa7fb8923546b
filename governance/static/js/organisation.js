/* The organisation's settings: saved through PATCH /api/v1/organisation; the logo through
   PUT and DELETE /api/v1/organisation/logo. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, show = X.show, F = X.form;
  var example = X.data.example;

  function languages() {
    var chosen = Array.prototype.map.call(document.querySelectorAll('input[name="languages"]:checked'), function (box) { return box.value; });
    var first = $("org-default-language").value;
    if (chosen.indexOf(first) > 0) { chosen.splice(chosen.indexOf(first), 1); chosen.unshift(first); }
    return chosen;
  }

  /* what the pattern makes for the newest meeting's third resolution (the server numbers for real) */
  function preview() {
    var pattern = $("org-resolution-format").value;
    var number = pattern.split("{reference}").join(example.reference).split("{year}").join(String(example.year))
      .split("{n}").join(String(example.n)).split("{short_name}").join($("org-short").value.trim());
    $("resolution-example").textContent = pattern.indexOf("{n}") >= 0 ? t("example_number", {number: number}) : "";
  }
  $("org-resolution-format").addEventListener("input", preview);
  $("org-short").addEventListener("input", preview);
  preview();

  $("organisation-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this;
    var body = {name: $("org-name").value.trim(), short_name: $("org-short").value.trim(), languages: languages(),
                timezone: $("org-timezone").value.trim(), resolution_format: $("org-resolution-format").value.trim()};
    F.busy(form, true);
    X.api("PATCH", "/organisation", body).then(function (answer) {
      F.busy(form, false);
      if (!answer.ok) { F.refused(form, "organisation-error", answer); return; }
      F.accepted(form, "organisation-error", "organisation-done", t("saved"));
      var brand = document.querySelector(".brand");
      if (brand && answer.body.short_name) brand.textContent = answer.body.short_name;
    });
  });

  function showLogo(present) {
    var image = $("logo-image");
    if (present) image.src = "/api/v1/organisation/logo?" + Date.now();  // the new one, not the cached one
    else image.removeAttribute("src");
    show(image, present);
    show($("logo-none"), !present);
    show($("logo-remove"), present);
  }

  $("logo-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this, input = $("logo-file");
    if (!input.files.length) { F.refused(form, "logo-error", {body: {error: {message: t("choose_file")}}}); return; }
    var data = new FormData();
    data.append("file", input.files[0]);
    F.busy(form, true);
    F.upload("PUT", "/organisation/logo", data).then(function (answer) {
      F.busy(form, false);
      if (!answer.ok) { F.refused(form, "logo-error", answer); return; }
      F.accepted(form, "logo-error", "logo-done", t("logo_saved"));
      form.reset();
      showLogo(true);
    });
  });

  $("logo-remove").addEventListener("click", function () {
    var button = this;
    button.disabled = true;
    X.api("DELETE", "/organisation/logo").then(function (answer) {
      button.disabled = false;
      if (!answer.ok) { F.refused($("logo-form"), "logo-error", answer); return; }
      F.accepted($("logo-form"), "logo-error", "logo-done", t("logo_removed"));
      showLogo(false);
    });
  });
})();
