"""Problem statements: Markdown with TeX math, rendered on the server to sanitised HTML.

Math is cut out before Markdown runs (so `_` and `*` inside formulas survive) and put back as
escaped TeX in `.math` elements, which static/js/math.js typesets with the bundled KaTeX.
"""

import html
import re
import secrets

import markdown
import nh3

# Code first (fenced blocks, then inline spans) so dollars inside code stay code; then $$display$$, $inline$.
_MATH = re.compile(
    r"(?P<code>^(?P<fence>```|~~~).*?^(?P=fence)|`[^`\n]+`)"
    r"|(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|(?<![\\$])\$(?!\s)(?P<inline>.+?)(?<![\\\s])\$",
    re.DOTALL | re.MULTILINE,
)
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
    token = "OJMATH" + secrets.token_hex(6) + "N{}X"  # random, so statement text can never collide with it

    def cut(match: re.Match) -> str:
        if match.group("code"):
            return match.group(0)
        display = match.group("display") is not None
        formulas.append((display, match.group("display") if display else match.group("inline")))
        return token.format(len(formulas) - 1)

    text = _MATH.sub(cut, source)
    body = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    body = nh3.clean(body, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, link_rel="noopener nofollow")
    for index, (display, tex) in enumerate(formulas):
        placeholder, escaped = token.format(index), html.escape(tex)
        if display:
            block = f'<div class="math math-display">{escaped}</div>'
            body = body.replace(f"<p>{placeholder}</p>", block, 1).replace(placeholder, block, 1)
        else:
            body = body.replace(placeholder, f'<span class="math math-inline">{escaped}</span>', 1)
    return body
