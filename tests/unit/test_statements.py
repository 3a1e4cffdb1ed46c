import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems.statements import statement_render


def render(source: str) -> str:
    return statement_render(source=source)


# Markdown


def test_headings_and_paragraphs():
    html = render("# Title\n\n## Input\n\nSome *text* and **bold**.")
    assert "<h1>Title</h1>" in html
    assert "<h2>Input</h2>" in html
    assert "<p>Some <em>text</em> and <strong>bold</strong>.</p>" in html


def test_lists():
    html = render("- one\n- two\n\n1. first\n2. second\n")
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html


def test_tables():
    html = render("| n | answer |\n|---|---|\n| 1 | 2 |\n")
    assert "<table>" in html
    assert "<th>n</th>" in html
    assert "<td>2</td>" in html


def test_code_block_and_inline_code():
    html = render("Use `scanf`.\n\n```\nint main() { return 0 < 1; }\n```\n")
    assert "<code>scanf</code>" in html
    assert "<pre><code>int main() { return 0 &lt; 1; }\n</code></pre>" in html


def test_dollars_inside_a_code_block_are_not_math():
    html = render('```\nprintf("$%d$", x);\n```\n')
    assert "math" not in html
    assert 'printf("$%d$", x);' in html


def test_dollars_inside_inline_code_are_not_math():
    html = render("Type `$x$` literally.")
    assert "math" not in html
    assert "<code>$x$</code>" in html


# sanitising


def test_script_is_stripped():
    html = render("Hello <script>alert(1)</script> world")
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "Hello" in html and "world" in html


def test_event_handlers_are_stripped():
    html = render('<img src="cat.png" onerror="alert(1)"> <b onclick="x()">bold</b>')
    assert "onerror" not in html
    assert "onclick" not in html
    assert '<img src="cat.png">' in html
    assert "<b>bold</b>" in html


@pytest.mark.parametrize(
    "source",
    ["[click](javascript:alert(1))", '<a href="javascript:alert(1)">click</a>', "[x](JaVaScRiPt:alert(1))"],
)
def test_javascript_links_are_stripped(source):
    html = render(source)
    assert "javascript" not in html.lower()
    assert "click" in html or "x" in html


def test_ordinary_links_keep_their_href_and_get_rel():
    html = render("[docs](https://example.com/a)")
    assert 'href="https://example.com/a"' in html
    assert 'rel="noopener nofollow"' in html


def test_iframe_and_style_are_dropped():
    html = render('<iframe src="https://evil"></iframe><style>body{}</style><p style="color:red">x</p>')
    assert "<iframe" not in html
    assert "<style" not in html
    assert "style=" not in html


# math


def test_inline_math_survives_markdown():
    html = render("Let $a_1 * b_2$ and $c_3 * d_4$ be given.")
    assert '<span class="math math-inline">a_1 * b_2</span>' in html
    assert '<span class="math math-inline">c_3 * d_4</span>' in html
    assert "<em>" not in html


def test_display_math_survives_markdown():
    html = render("Sum:\n\n$$\\sum_i x_i * y_i$$\n")
    assert '<div class="math math-display">\\sum_i x_i * y_i</div>' in html
    assert "<em>" not in html


def test_multiline_display_math():
    html = render("$$\na_1 +\nb_2\n$$")
    assert '<div class="math math-display">\na_1 +\nb_2\n</div>' in html


def test_math_tex_is_html_escaped():
    html = render("If $a<b$ and $c>d \\& e$ and $<script>x</script>$.")
    assert '<span class="math math-inline">a&lt;b</span>' in html
    assert '<span class="math math-inline">c&gt;d \\&amp; e</span>' in html
    assert '<span class="math math-inline">&lt;script&gt;x&lt;/script&gt;</span>' in html
    assert "<script>" not in html


def test_markdown_around_math_still_works():
    html = render("a _b_ $x_1$ _c_")
    assert html == '<p>a <em>b</em> <span class="math math-inline">x_1</span> <em>c</em></p>'


@pytest.mark.parametrize("source", ["It costs $5 today.", "From $5 to $ 6.", "A lone $ sign."])
def test_lone_dollar_stays_text(source):
    html = render(source)
    assert "math" not in html
    assert "$" in html


def test_escaped_dollars_are_not_math():
    html = render("Pay \\$5 and \\$6.")
    assert "math" not in html
    assert "$5 and" in html and "$6" in html


# attacks: the output is parsed, as a browser would, and every tag and attribute checked

_BAD_TAGS = {"script", "iframe", "object", "embed", "svg", "style", "form", "base", "meta", "link"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset"}
_BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def dangers(html: str) -> list[str]:
    """What in this HTML would run script in a browser: bad tags, on* attributes, script URLs."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag in _BAD_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"{tag} {name}")
            # browsers ignore whitespace and control characters inside a scheme ("java\tscript:")
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name in _URL_ATTRIBUTES and _BAD_SCHEME.match(url):
                found.append(f"{tag} {name}={value}")
    return found


# Math inside an attribute: the old renderer put `<span class="math">` back after sanitising, so its quote
# closed the attribute and the rest of the attribute became live HTML.
EXPLOITS = [
    '[x]($x$ "<img src=x onerror=alert(1)>")',
    '<a href="$y$" title="<img src=x onerror=alert(1)>">t</a>',
    '<a href="$y$" title="<script>alert(1)</script>">t</a>',
    '[x](y "$a$ <img src=x onerror=alert(1)>")',  # math in a link title
    '![$a$<img src=x onerror=alert(1)>](x "$b$")',  # math in an image's alt and title
    '<img src="$a$<svg onload=alert(1)>">',
]


@pytest.mark.parametrize("source", EXPLOITS)
def test_math_inside_attributes_cannot_break_out(source):
    html = render(source)
    assert dangers(html) == [], html  # parsed: "<script>" as the text of a title attribute is harmless


@pytest.mark.parametrize(
    "source",
    [
        '<a href="javascript:alert(1)">click</a>',
        "[x](java&#x09;script:alert(1))",
        '[x](data:text/html;base64,PHNjcmlwdD4=) <img src="data:image/svg+xml,<svg onload=alert(1)>">',
        "<a href='vbscript:x'>v</a> <svg onload=alert(1)>$x$</svg><iframe src=javascript:alert(1)>",
    ],
)
def test_script_urls_and_tags_are_dropped(source):
    assert dangers(render(source)) == []


def test_math_in_a_link_destination_stays_inside_the_attribute():
    html = render('[x]($x$ "<img src=x onerror=alert(1)>")')
    parser = _Tags()
    parser.feed(html)
    assert [tag for tag, _ in parser.tags] == ["p", "a"]  # no <span> broke out, no <img> came alive
    assert "math" not in html


@pytest.mark.parametrize(
    "source",
    [
        "``a ` $x$ ` b``",  # a code span between double backticks
        "`a\n$x$`",  # a code span may go on over a line break
        '    printf("$%d$", x);\n',  # an indented code block
    ],
)
def test_dollars_in_any_kind_of_code_stay_code(source):
    html = render(source)
    assert "math" not in html
    assert "<code>" in html and "$" in html


# Fragments an attacker combines, and shapes that put them inside attributes, math and code.
_FRAGMENTS = [
    "$",
    "$$",
    "\\$",
    "<",
    ">",
    '"',
    "'",
    "[",
    "](",
    ")",
    "`",
    "```\n",
    "javascript:",
    " onerror=",
    "<img src=x onerror=alert(1)>",
    "<script>",
    '<a href="',
    "<svg onload=",
    "\n",
    "\n\n",
    " ",
    "a",
    "x",
]
_SHAPES = [
    "[{}]({})",
    '[{}]({} "{}")',
    '<a href="{}" title="{}">{}</a>',
    '<img src="{}" alt="{}">',
    "${}$",
    "$${}$$",
    "`{}`",
    "- {}\n",
]


def _shaped(inner):
    def fill(shape: str):
        holes = shape.count("{}")
        return st.lists(inner, min_size=holes, max_size=holes).map(lambda parts: shape.format(*parts))

    return st.one_of(st.sampled_from(_SHAPES).flatmap(fill), st.lists(inner, max_size=4).map("".join))


STATEMENTS = st.recursive(
    st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map("".join), _shaped, max_leaves=12
)


@settings(max_examples=300, deadline=None)
@given(STATEMENTS)
def test_no_statement_renders_to_html_that_runs_script(source):
    html = render(source)
    assert dangers(html) == [], html
