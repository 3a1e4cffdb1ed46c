"""Sources as normalised token streams: what stays when comments, layout, names and literals are taken away.

Every judge language maps to one pygments lexer here (a test checks the table covers sandbox.LANGUAGES).
Comments and whitespace are dropped; identifiers become `V`, strings `S`, numbers `0`; keywords,
operators and punctuation stay as written, so the program's shape is what is compared.
"""

import bisect
from dataclasses import dataclass

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import Comment, Keyword, Name, Number, String, Text, Whitespace

LEXERS: dict[str, str] = {
    "c": "c",
    "cpp": "cpp",
    "python": "python",
    "pypy": "python",
    "java": "java",
    "kotlin": "kotlin",
    "csharp": "csharp",
    "javascript": "javascript",
    "go": "go",
    "rust": "rust",
    "pascal": "delphi",
    "haskell": "haskell",
    "ocaml": "ocaml",
    "ruby": "ruby",
    "php": "php",
}
CASE_INSENSITIVE = frozenset({"pascal"})  # `BEGIN` and `begin` are the same keyword


@dataclass(frozen=True)
class Token:
    text: str  # normalised
    line: int  # 1-based line of the source where it starts


def lexer_for(language: str) -> Lexer:
    return get_lexer_by_name(LEXERS[language], stripnl=False, ensurenl=False)


def _normalise(kind, value: str, language: str) -> str | None:
    if kind in Comment or kind in String.Doc or kind in Whitespace or not value.strip():
        return None
    if kind in Keyword:
        return value.lower() if language in CASE_INSENSITIVE else value
    if kind in Name or (kind in Text and value.strip().replace("_", "a").isalnum()):
        return "V"
    if kind in String:
        return "S"
    if kind in Number:
        return "0"
    return value.strip()


def tokenize(*, source: str, language: str) -> list[Token]:
    """The normalised tokens of `source`, each with its line; a string made of many pygments pieces
    (`"a" "b"`, an f-string) becomes one `S`."""
    starts = [i for i, char in enumerate(source) if char == "\n"]
    tokens: list[Token] = []
    for offset, kind, value in lexer_for(language).get_tokens_unprocessed(source):
        text = _normalise(kind, value, language)
        if text is None:
            continue
        if text == "S" and tokens and tokens[-1].text == "S":
            continue
        tokens.append(Token(text=text, line=bisect.bisect_right(starts, offset - 1) + 1))
    return tokens
