// Typesets the .math elements that problems/statements.py leaves in a statement, with the bundled KaTeX.
(function () {
  "use strict";
  if (!window.katex) return;
  document.querySelectorAll(".math").forEach(function (el) {
    katex.render(el.textContent, el, {
      displayMode: el.classList.contains("math-display"),
      throwOnError: false,
    });
  });
})();
