// The source field of submit forms as a real code editor (bundled CodeMirror 5): line numbers,
// highlighting that follows the language select, bracket matching, Tab indents. Esc leaves the
// editor so keyboard users can Tab on. Without JavaScript the plain textarea still works.
(function () {
  "use strict";
  if (!window.CodeMirror) return;
  var MODES = { c: "text/x-csrc", cpp: "text/x-c++src", java: "text/x-java", python: "python" };

  function indent(cm) {
    if (cm.somethingSelected()) cm.indentSelection("add");
    else cm.replaceSelection("    ", "end");
  }

  document.querySelectorAll("textarea.code-input").forEach(function (area) {
    var language = area.form && area.form.querySelector("select[name=language]");
    var editor = CodeMirror.fromTextArea(area, {
      lineNumbers: true,
      indentUnit: 4,
      tabSize: 4,
      matchBrackets: true,
      autoCloseBrackets: true,
      mode: MODES[language && language.value] || "text/x-c++src",
      extraKeys: {
        Tab: indent,
        "Shift-Tab": "indentLess",
        Esc: function (cm) { cm.getInputField().blur(); },
      },
    });
    editor.getInputField().setAttribute("aria-label", "Source code");
    if (language) {
      language.addEventListener("change", function () { editor.setOption("mode", MODES[language.value]); });
    }
  });
})();
