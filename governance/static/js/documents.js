/* Documents on agenda items: each item's list kept live (documents.changed, sent only to those
   who may see the item), and on the secretariat desk the upload form and the remove buttons. */
(function () {
  "use strict";
  var X = window.Excom, t = X.t, $ = X.$, el = X.el, show = X.show;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');

  function renderItemList(itemId, documents) {
    var list = document.querySelector('[data-documents-for="' + itemId + '"]');
    if (!list) return;
    list.textContent = "";
    documents.forEach(function (d) {
      list.appendChild(el("li", {}, [
        el("a", {href: d.url, download: true, "data-document-id": String(d.id), text: d.title}), " ",
        el("span", {className: "document-meta", text: d.filename})
      ]));
    });
    list.hidden = !documents.length;
  }

  function itemLabel(itemId) {
    var option = document.querySelector('#document-item option[value="' + itemId + '"]');
    return option ? option.textContent.split(" – ")[0] : String(itemId);
  }

  function renderDeskRows(itemId, documents) {
    var body = $("documents-list");
    if (!body) return;
    body.querySelectorAll('tr[data-item-id="' + itemId + '"]').forEach(function (row) { row.remove(); });
    documents.forEach(function (d) {
      body.appendChild(el("tr", {"data-item-id": String(itemId), "data-document-id": String(d.id)}, [
        el("td", {text: itemLabel(itemId)}),
        el("td", {}, [el("a", {href: d.url, download: true, text: d.title}), el("br"), el("small", {text: d.filename})]),
        el("td", {}, [el("button", {type: "button", className: "button small", "data-delete-document": String(d.id),
                                    "aria-label": t("remove_document", {title: d.title}), text: t("remove")})])
      ]));
    });
  }

  function changed(payload) {
    renderItemList(payload.item_id, payload.documents || []);
    renderDeskRows(payload.item_id, payload.documents || []);
  }

  if (X.socket) X.socket.on("documents.changed", function (payload) { changed(payload || {}); });
  // the current item's documents also travel with agenda.current (ItemOut carries them)
  if (X.socket) X.socket.on("agenda.current", function (payload) {
    if (payload && payload.item && payload.item.documents) changed({item_id: payload.item.id, documents: payload.item.documents});
  });

  /* --- the desk ------------------------------------------------------------------------ */

  function fail(message) { $("documents-error").textContent = message; show($("documents-error"), true); }

  var form = $("document-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show($("documents-error"), false);
      var file = $("document-file").files[0];
      if (!file) return;
      var body = new FormData();
      body.append("title", $("document-title").value);
      body.append("file", file, file.name);
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      $("document-status").textContent = t("document_sending");
      fetch("/api/v1/items/" + $("document-item").value + "/documents", {
        method: "POST", body: body, credentials: "same-origin",
        headers: {"Accept": "application/json", "X-CSRFToken": csrfMeta ? csrfMeta.getAttribute("content") : ""}
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) { return {ok: response.ok, body: json}; });
      }).catch(function () {
        return {ok: false, body: {error: {message: t("offline")}}};
      }).then(function (answer) {
        button.disabled = false;
        if (!answer.ok) { $("document-status").textContent = ""; fail(X.errorText(answer)); return; }
        $("document-status").textContent = t("document_attached", {title: answer.body.title});
        form.reset();
      });
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-delete-document]") : null;
    if (!button) return;
    show($("documents-error"), false);
    button.disabled = true;
    X.api("DELETE", "/documents/" + button.getAttribute("data-delete-document")).then(function (answer) {
      button.disabled = false;
      if (!answer.ok && answer.status !== 204) fail(X.errorText(answer));
    });
  });
})();
