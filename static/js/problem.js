// Problem page: copy buttons on samples, Tab in the source editor, remembered language, chosen file name.
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
})();
