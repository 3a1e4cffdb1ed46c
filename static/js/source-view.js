// The source on the submission page: highlighted by the bundled CodeMirror, read-only, with a copy button.
// Without JavaScript the plain <pre> stays, and "Edit and resubmit" is a plain link either way.
(function () {
  "use strict";
  var pre = document.getElementById("source");
  if (!pre) return;
  // The same modes as the submit form's editor (code-editor.js); other languages show as plain text.
  var MODES = { c: "text/x-csrc", cpp: "text/x-c++src", java: "text/x-java", python: "python" };
  var source = pre.textContent;
  var view = null;

  if (window.CodeMirror) {
    view = CodeMirror(function (el) { pre.replaceWith(el); }, {
      value: source,
      mode: MODES[pre.dataset.language] || "text/plain",
      readOnly: true,
      lineNumbers: true,
      tabSize: 4,
      viewportMargin: Infinity,
    });
    view.getWrapperElement().classList.add("source-view");
    view.getInputField().setAttribute("aria-label", "Source code (read-only)");
  }

  var copy = document.getElementById("source-copy");
  var said = document.getElementById("source-copied");
  if (!copy) return;
  copy.hidden = false;
  // Without the clipboard API (a site served over plain HTTP) the code is selected for Ctrl+C instead.
  function selectForCopy() {
    if (view) {
      view.focus();
      view.execCommand("selectAll");
    } else {
      var range = document.createRange();
      range.selectNodeContents(pre);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    }
    said.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
  }
  copy.addEventListener("click", function () {
    if (!navigator.clipboard) { selectForCopy(); return; }
    navigator.clipboard.writeText(source).then(function () { said.textContent = "Copied."; }, selectForCopy);
    setTimeout(function () { said.textContent = ""; }, 4000);
  });
})();
