"""Kattis LaTeX statements to Markdown: the common subset, well enough to read and edit.

Math is kept as TeX between $...$ / $$...$$ (what problems/statements.py renders). Verbatim and
math are cut out first so nothing below touches them, then put back at the end.
"""

import re
from dataclasses import dataclass, field

_KEEP = "\ue000{}\ue001"  # private-use characters: cannot occur in a statement
_KEPT = re.compile("\ue000(\\d+)\ue001")
_COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)
_VERBATIM = re.compile(r"\\begin\{(verbatim|lstlisting)\}(?:\[[^\]]*\])?\n?(.*?)\\end\{\1\}", re.DOTALL)
_VERB = re.compile(r"\\verb([^a-zA-Z\s])(.*?)\1")
_DISPLAY = re.compile(
    r"\$\$(?P<a>.+?)\$\$|\\\[(?P<b>.+?)\\\]"
    r"|\\begin\{(?P<env>equation|displaymath|align|eqnarray)(?P<star>\*?)\}(?P<c>.*?)\\end\{(?P=env)(?P=star)\}",
    re.DOTALL,
)
_INLINE = re.compile(r"\$(?P<a>[^$]+?)\$|\\\((?P<b>.+?)\\\)", re.DOTALL)
_SECTIONS = {"section": "##", "subsection": "###", "subsubsection": "####"}
_WRAPPERS = {
    "emph": "*{}*",
    "textit": "*{}*",
    "textsl": "*{}*",
    "textbf": "**{}**",
    "texttt": "`{}`",
    "url": "<{}>",
    "footnote": " ({})",
    "underline": "{}",
    "textrm": "{}",
    "textsf": "{}",
    "textup": "{}",
    "mbox": "{}",
    "text": "{}",
}
_DROPPED_WITH_ARGS = {"illustration": 3, "includegraphics": 1, "label": 1, "vspace": 1, "hspace": 1}
_DROPPED = {
    "noindent", "medskip", "bigskip", "smallskip", "centering", "sampletable", "nextsample",
    "remainingsamples", "clearpage", "newpage", "hfill", "vfill", "small", "large", "Large", "normalsize",
}  # fmt: skip
_SYMBOLS = {
    r"\%": "%", r"\&": "&", r"\#": r"\#", r"\_": r"\_", r"\ldots": "…",
    r"\dots": "…", r"\textbackslash": "\\\\", r"\LaTeX": "LaTeX", r"\TeX": "TeX", r"\,": " ", r"\ ": " ",
}  # fmt: skip
_SIMPLE_ENVS = ("center", "flushleft", "flushright", "quote", "quotation", "minipage", "figure", "samepage")
_LIST_TOKEN = re.compile(
    r"\\begin\{(?P<open>itemize|enumerate|description)\}|\\end\{(?P<close>itemize|enumerate|description)\}"
    r"|\\item\b(?:\s*\[(?P<term>[^\]]*)\])?"
)
_TABULAR = re.compile(r"\\begin\{tabular\}\{[^}]*\}(.*?)\\end\{tabular\}", re.DOTALL)


@dataclass
class Converted:
    markdown: str
    title: str = ""
    warnings: list[str] = field(default_factory=list)


def latex_to_markdown(*, source: str) -> Converted:
    """Convert a Kattis LaTeX statement body; `title` comes from \\problemname{...}."""
    kept: list[str] = []
    text = _keep_verbatim(text=source.replace("\r\n", "\n"), kept=kept)
    text = _COMMENT.sub("", text).replace(r"\$", _keep(kept, r"\$"))
    text = _keep_math(text=text, kept=kept)
    text = text.replace(r"\{", _keep(kept, "{")).replace(r"\}", _keep(kept, "}"))
    converted = Converted(markdown="")
    text, converted.title = _title_cut(text=text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _blocks(text=text, kept=kept)
    text = _inline_commands(text=text, warnings=converted.warnings)
    text = _lists(text=text)
    converted.markdown = _tidy(text=text, kept=kept)
    return converted


def _keep(kept: list[str], value: str) -> str:
    kept.append(value)
    return _KEEP.format(len(kept) - 1)


def _keep_verbatim(*, text: str, kept: list[str]) -> str:
    text = _VERBATIM.sub(
        lambda m: "\n\n" + _keep(kept, "```\n" + m.group(2).rstrip("\n") + "\n```") + "\n\n", text
    )
    return _VERB.sub(lambda m: _keep(kept, "`" + m.group(2) + "`"), text)


def _keep_math(*, text: str, kept: list[str]) -> str:
    def display(match: re.Match) -> str:
        if match.group("env"):
            body = match.group("c").strip()
            if match.group("env") in ("align", "eqnarray"):
                body = "\\begin{aligned}" + body + "\\end{aligned}"
        else:
            body = (match.group("a") or match.group("b")).strip()
        return "\n\n" + _keep(kept, "$$" + body + "$$") + "\n\n"

    text = _DISPLAY.sub(display, text)
    return _INLINE.sub(lambda m: _keep(kept, "$" + (m.group("a") or m.group("b")).strip() + "$"), text)


def _title_cut(*, text: str) -> tuple[str, str]:
    match = re.search(r"\\problemname\{", text)
    if match is None:
        return text, ""
    end = _closing_brace(text=text, start=match.end())
    title = " ".join(text[match.end() : end].split())
    return text[: match.start()] + text[end + 1 :], title


def _closing_brace(*, text: str, start: int) -> int:
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(text) - 1


def _blocks(*, text: str, kept: list[str]) -> str:
    for name, count in _DROPPED_WITH_ARGS.items():
        text = _command_drop(text=text, name=name, count=count)
    text = _TABULAR.sub(lambda m: "\n\n" + _keep(kept, _table(body=m.group(1))) + "\n\n", text)
    envs = "|".join(_SIMPLE_ENVS)
    text = re.sub(rf"\\(begin|end)\{{({envs})\*?\}}(\[[^\]]*\])?", "\n\n", text)
    text = re.sub(r"\\\\(\[[^\]]*\])?[ \t]*\n?", "  \n", text)  # forced line break
    return text.replace(r"\newline", "  \n").replace(r"\par ", "\n\n")


def _command_drop(*, text: str, name: str, count: int) -> str:
    """Remove \\name[opt]{a}{b}... with up to `count` brace arguments."""
    while (match := re.search(rf"\\{name}\*?(\[[^\]]*\])?\s*\{{", text)) is not None:
        end = _closing_brace(text=text, start=match.end())
        for _ in range(count - 1):
            following = re.match(r"\s*\{", text[end + 1 :])
            if following is None:
                break
            end = _closing_brace(text=text, start=end + 1 + following.end())
        text = text[: match.start()] + text[end + 1 :]
    return text


def _table(*, body: str) -> str:
    body = re.sub(r"\\(hline|toprule|midrule|bottomrule)", "", body)
    rows = [row.strip() for row in re.split(r"\\\\", body) if row.strip()]
    cells = [[cell.strip().replace("|", r"\|") for cell in row.split("&")] for row in rows]
    if not cells:
        return ""
    width = max(len(row) for row in cells)
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in cells]
    lines.insert(1, "|" + "---|" * width)
    return "\n".join(lines)


def _inline_commands(*, text: str, warnings: list[str]) -> str:
    for symbol, replacement in _SYMBOLS.items():
        text = text.replace(symbol, replacement)
    text = re.sub(r"\\href\{([^{}]*)\}\{([^{}]*)\}", r"[\2](\1)", text)
    unknown: set[str] = set()
    pattern = re.compile(r"\\([a-zA-Z]+)\*?\{([^{}]*)\}")
    while True:  # innermost first, so \textbf{\emph{x}} works
        replaced = pattern.sub(lambda m: _wrapped(m, unknown), text)
        if replaced == text:
            break
        text = replaced
    text = re.sub(r"\\(?!begin|end|item\b)([a-zA-Z]+)\b\s?", lambda m: _bare(m, unknown), text)
    if unknown:
        warnings.append(
            "statement: LaTeX commands dropped: " + ", ".join(f"\\{name}" for name in sorted(unknown))
        )
    text = text.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”")
    return text.replace("~", "\u00a0")


def _wrapped(match: re.Match, unknown: set[str]) -> str:
    name, body = match.group(1), match.group(2)
    if name in ("begin", "end"):
        return match.group(0).replace("{", "\ue002").replace("}", "\ue003")  # protected; restored below
    if name in _SECTIONS:
        return f"\n\n{_SECTIONS[name]} {body.strip()}\n\n"
    if name == "paragraph":
        return f"\n\n**{body.strip()}**"
    if name not in _WRAPPERS:
        unknown.add(name)
        return body
    return _WRAPPERS[name].format(body)


def _bare(match: re.Match, unknown: set[str]) -> str:
    if match.group(1) not in _DROPPED:
        unknown.add(match.group(1))
    return ""


def _lists(*, text: str) -> str:
    text = text.replace("\ue002", "{").replace("\ue003", "}")
    out: list[str] = []
    stack: list[list] = []  # [kind, number]
    position = 0
    for match in _LIST_TOKEN.finditer(text):
        out.append(_list_text(text=text[position : match.start()], nested=bool(stack)))
        position = match.end()
        if match.group("open"):
            stack.append([match.group("open"), 0])
            out.append("\n\n" if len(stack) == 1 else "")
        elif match.group("close"):
            if stack:
                stack.pop()
            out.append("\n\n" if not stack else "")
        elif stack:
            out.append(_item_marker(stack=stack, term=match.group("term")))
    out.append(_list_text(text=text[position:], nested=bool(stack)))
    return "".join(out)


def _list_text(*, text: str, nested: bool) -> str:
    return " ".join(text.split()) if nested else text


def _item_marker(*, stack: list[list], term: str | None) -> str:
    kind = stack[-1][0]
    stack[-1][1] += 1
    indent = "    " * (len(stack) - 1)
    marker = f"{stack[-1][1]}." if kind == "enumerate" else "-"
    label = f"**{term.strip()}** " if term else ""
    return f"\n{indent}{marker} {label}"


def _tidy(*, text: str, kept: list[str]) -> str:
    text = re.sub(r"\\(begin|end)\{[^{}]*\}", "", text)  # environments we do not know: keep their text
    text = re.sub(r"(?<!\\)[{}]", "", text)
    text = re.sub(r"[ \t]+\n", lambda m: "  \n" if m.group(0).startswith("  ") else "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    while _KEPT.search(text):  # kept pieces may hold other kept pieces (a \\$ inside math)
        text = _KEPT.sub(lambda m: kept[int(m.group(1))], text)
    return text
