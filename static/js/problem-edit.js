// Problem edit page: live statement preview (debounced POST to the server's renderer, then KaTeX),
// and checker settings shown only for the checker that uses them.
(function () {
  "use strict";
  var DELAY_MS = 400;
  var form = document.getElementById("problem-form");
  if (!form) return;

  function typeset(root) {
    if (!window.katex) return;
    root.querySelectorAll(".math").forEach(function (el) {
      katex.render(el.textContent, el, {displayMode: el.classList.contains("math-display"), throwOnError: false});
    });
  }

  // ---- checker-dependent fields ----
  var checker = form.querySelector("select[name=checker]");
  function showCheckerFields() {
    form.querySelectorAll("[data-show-for]").forEach(function (el) {
      el.hidden = !checker || el.dataset.showFor !== checker.value;
    });
  }
  if (checker) {
    checker.addEventListener("change", showCheckerFields);
    showCheckerFields();
  }

  // ---- statement preview ----
  var source = form.querySelector("textarea[name=statement]");
  var preview = document.getElementById("statement-preview");
  var status = document.getElementById("preview-status");
  if (!source || !preview) return;
  typeset(preview);

  var timer = null, sent = 0, shown = 0, lastText = source.value;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function setStatus(text, isError) {
    status.textContent = text;
    status.classList.toggle("preview-error", Boolean(isError));
  }

  function refresh() {
    var ticket = ++sent;
    var body = new FormData();
    body.append("statement", source.value);
    setStatus("Updating preview…");
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: body,
      headers: {"X-CSRFToken": csrf, "Accept": "application/json"},
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      })
      .then(function (result) {
        if (ticket < shown) return;  // an older request answered late: keep the newer preview
        shown = ticket;
        if (!result.ok) return setStatus(result.data.error || "Preview failed.", true);
        preview.innerHTML = result.data.html;
        typeset(preview);
        setStatus(ticket === sent ? "" : "Updating preview…");
      })
      .catch(function () { setStatus("Preview unavailable (are you still logged in?)", true); });
  }

  source.addEventListener("input", function () {
    if (source.value === lastText) return;
    lastText = source.value;
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY_MS);
  });

  // ---- keep unsaved work ----
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  var invalid = form.querySelector(".field-invalid");
  if (invalid) invalid.scrollIntoView({block: "center"});
})();
