"""Problem statements: Markdown with TeX math, rendered on the server to sanitised HTML.

Math is cut out before Markdown runs (so `_` and `*` inside formulas survive) and put back as
escaped TeX in `.math` elements, which static/js/math.js typesets with the bundled KaTeX.
"""

import html
import re

import markdown
import nh3

_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?!\s)(.+?)(?<![\\\s])\$", re.DOTALL)
_TOKEN = "OJMATH{}X"
_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": {"class"}}


def statement_render(*, source: str) -> str:
    formulas: list[tuple[bool, str]] = []

    def cut(match: re.Match) -> str:
        display = match.group(1) is not None
        formulas.append((display, match.group(1) if display else match.group(2)))
        return _TOKEN.format(len(formulas) - 1)

    text = _MATH.sub(cut, source)
    body = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    body = nh3.clean(body, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, link_rel="noopener nofollow")
    for index, (display, tex) in enumerate(formulas):
        tag = "div" if display else "span"
        kind = "math-display" if display else "math-inline"
        body = body.replace(_TOKEN.format(index), f'<{tag} class="math {kind}">{html.escape(tex)}</{tag}>', 1)
    return body
