"""Problem statements: Markdown with TeX math, rendered on the server to sanitised HTML.

markdown-it parses the whole statement, math included, so a formula is a token like any other and can
never end up inside an attribute. Math becomes escaped TeX in `.math` elements, which static/js/math.js
typesets with the bundled KaTeX. nh3 cleans the final HTML as the very last step: nothing is put back after.
"""

import html
from collections.abc import Callable, Iterable, Sequence

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_block_dollar

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
    "s",
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
_URL_SCHEMES = {"http", "https", "mailto"}  # and relative URLs, which nh3 keeps


def _math(tag: str, kind: str) -> Callable[..., str]:
    def render(self, tokens: Sequence[Token], idx: int, options, env) -> str:
        return f'<{tag} class="math {kind}">{html.escape(tokens[idx].content)}</{tag}>'

    return render


def _within_block(rule: Callable[..., bool]) -> Callable[..., bool]:
    # Look for the closing $$ only up to the end of the current block: the plugin scans to the end of the
    # container, so every item of a long list of "- $$ a" lines read the rest of the document (quadratic).

    def bounded(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
        last = startLine + 1
        while last < endLine and not state.isEmpty(last) and state.sCount[last] >= state.blkIndent:
            last += 1
        return rule(state, startLine, last, silent)

    return bounded


def _parser() -> MarkdownIt:
    # commonmark allows raw HTML: nh3 cleans it. No space inside the dollars and no digit before an opening or
    # after a closing one, so "$5 and $6" and "5$ to 6$" stay prices (as pandoc reads them).
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # nh3 is the one place that decides which URLs stay (_URL_SCHEMES)
    block = {"allow_labels": False, "allow_blank_lines": False}
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True, **block)
    md.block.ruler.at("math_block", _within_block(math_block_dollar(**block)))
    md.add_render_rule("math_inline", _math("span", "math-inline"))
    md.add_render_rule("math_inline_double", _math("span", "math-display"))  # $$..$$ inside a paragraph
    md.add_render_rule("math_block", _math("div", "math-display"))
    return md


_MARKDOWN = _parser()


def statement_render(*, source: str) -> str:
    body = _MARKDOWN.render(source)
    return nh3.clean(
        body,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener nofollow",
    ).strip()


def statement_render_on_save(
    *, instance: object, source: str, target: str, update_fields: Iterable[str] | None
) -> set[str] | None:
    """For a model's save(): render the Markdown field `source` into `target`, and save `target` whenever
    `source` is saved, so the stored HTML always matches the Markdown. Returns the new update_fields."""
    if update_fields is not None and source not in update_fields:
        return set(update_fields)
    setattr(instance, target, statement_render(source=getattr(instance, source)))
    return None if update_fields is None else {*update_fields, target}
