// Problem page: copy buttons on samples, Tab in the source editor, remembered language, chosen file name,
// and the Run box (try the code on a sample or on your own input, polling for the result).
(function () {
  "use strict";
  var LANGUAGE_KEY = "oj.language";

  function flash(button, text) {
    var original = button.dataset.label || button.textContent;
    button.dataset.label = original;
    button.textContent = text;
    setTimeout(function () { button.textContent = original; }, 1500);
  }

  document.querySelectorAll(".copy-btn[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.copyTarget);
      if (!target || !navigator.clipboard) return flash(button, "Select and copy");
      navigator.clipboard.writeText(target.textContent).then(
        function () { flash(button, "Copied ✓"); },
        function () { flash(button, "Copy failed"); }
      );
    });
  });

  var form = document.getElementById("submit-form");
  if (!form) return;
  if (form.querySelector(".form-errors, .field-invalid")) {
    (document.getElementById("submit") || form).scrollIntoView({block: "start"});  // came back with errors: show them
  }

  var source = form.querySelector("textarea[name=source]");
  if (source) {
    var escaped = false;  // Esc, then Tab: leave the editor as usual (keyboard users must not get stuck)
    source.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { escaped = true; return; }
      if (event.key !== "Tab" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey || escaped) {
        escaped = false;
        return;
      }
      event.preventDefault();
      var start = source.selectionStart, end = source.selectionEnd;
      source.setRangeText("    ", start, end, "end");
    });
  }

  var language = form.querySelector("select[name=language]");
  if (language) {
    var saved = null;
    try { saved = localStorage.getItem(LANGUAGE_KEY); } catch (e) { /* storage disabled */ }
    var hasError = language.closest(".field-invalid");
    var values = Array.prototype.map.call(language.options, function (o) { return o.value; });
    if (saved && !hasError && values.indexOf(saved) !== -1 && !language.querySelector("option[selected]")) {
      language.value = saved;
    }
    language.addEventListener("change", function () {
      try { localStorage.setItem(LANGUAGE_KEY, language.value); } catch (e) { /* storage disabled */ }
    });
  }

  var file = form.querySelector("input[type=file][name=file]");
  var fileName = form.querySelector("[data-file-name]");
  if (file && fileName) {
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      fileName.textContent = chosen ? chosen.name + " (" + Math.ceil(chosen.size / 1024) + " KiB)" : "No file chosen";
      fileName.classList.toggle("file-chosen", Boolean(chosen));
    });
  }

  var runBox = document.getElementById("run-box");
  var runButton = form.querySelector("[data-run-button]");
  if (!runBox || !runButton) return;
  var runOn = runBox.querySelector("[data-run-on]");
  var custom = runBox.querySelector("[data-run-custom]");
  var stdin = runBox.querySelector("#run-stdin");
  var resultBox = runBox.querySelector("[data-run-result]");
  var statusLine = runBox.querySelector("[data-run-status]");
  var POLL_MS = 700, MAX_POLLS = 400;

  runOn.addEventListener("change", function () { custom.hidden = runOn.value !== "custom"; });

  function show(name, text) {
    var node = runBox.querySelector("[data-run-" + name + "]");
    var label = runBox.querySelector("[data-run-" + name + "-label]");
    node.textContent = text || "";
    node.hidden = !text;
    if (label) label.hidden = !text;
  }

  function report(status, result, busy) {
    resultBox.hidden = false;
    statusLine.textContent = status;
    show("compile", result && result.compile_output);
    show("stdout", result && result.stdout);
    show("stderr", result && result.stderr);
    runButton.disabled = Boolean(busy);
  }

  function summary(result) {
    var parts = [result.outcome];
    if (result.matches === true) parts.push("matches the sample's answer");
    if (result.matches === false) parts.push("differs from the sample's answer");
    if (result.time !== undefined) parts.push(result.time.toFixed(3) + " s");
    if (result.memory) parts.push((result.memory / 1048576).toFixed(1) + " MiB");
    if (result.message) parts.push(result.message);
    if (result.outcome !== "CE" && result.stdout === "") parts.push("no output");
    if (result.stdout_truncated) parts.push("output cut at 16 KiB");
    return parts.join(" · ");
  }

  function poll(url, left) {
    fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (result.status === "done") return report(summary(result), result);
        if (left <= 0) return report("No result yet: the judge is busy. Try again later.");
        setTimeout(function () { poll(url, left - 1); }, POLL_MS);
      })
      .catch(function () { report("The result could not be fetched. Try again."); });
  }

  runButton.addEventListener("click", function () {
    var data = new FormData(form);
    var editor = form.querySelector(".CodeMirror");
    if (editor && editor.CodeMirror) data.set("source", editor.CodeMirror.getValue());
    data.set("sample", runOn.value);
    data.set("stdin", runOn.value === "custom" ? stdin.value : "");
    report("Running…", null, true);
    fetch(runBox.dataset.runUrl, {method: "POST", body: data, credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.error) return report(answer.error);
        poll(answer.url, MAX_POLLS);
      })
      .catch(function () { report("The run could not be sent. Try again."); });
  });
})();
