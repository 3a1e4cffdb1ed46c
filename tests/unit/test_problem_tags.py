"""Problem tags: typed text to tags, their bounds, and problem.yaml keywords (no database)."""

import pytest
from django.core.exceptions import ValidationError

from problems.packages import PackageError, package_files, package_parse
from problems.tags import TAG_MAX_CHARS, TAG_MAX_COUNT, TagsFormField, tags_parse, tags_validate


def test_typed_tags_are_normalized_and_kept_once_in_order():
    assert tags_parse("Graphs,  Shortest Paths , graphs,,dynamic_programming") == [
        "graphs",
        "shortest-paths",
        "dynamic-programming",
    ]
    assert tags_parse("  ") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a" * (TAG_MAX_CHARS + 1), f"longer than {TAG_MAX_CHARS} characters"),
        ("<b>bold</b>", "may use only lowercase letters"),
        ('say "hi"', "may use only lowercase letters"),
        ("géométrie", "may use only lowercase letters"),
        ("-leading", "may use only lowercase letters"),
        (", ".join(f"t{n}" for n in range(TAG_MAX_COUNT + 1)), f"At most {TAG_MAX_COUNT} tags"),
    ],
)
def test_the_form_field_refuses_what_is_not_a_tag_with_a_clear_message(text, message):
    with pytest.raises(ValidationError) as caught:
        TagsFormField().clean(text)
    assert message in " ".join(caught.value.messages)


def test_the_form_field_shows_tags_as_the_text_it_reads_back():
    field = TagsFormField()
    assert field.prepare_value(["graphs", "c++"]) == "graphs, c++"
    assert field.clean(field.prepare_value(["graphs", "c++"])) == ["graphs", "c++"]
    assert field.clean("") == []


@pytest.mark.parametrize("value", ["graphs", [1, 2], ["graphs", "graphs"], ["Graphs"]])
def test_the_model_validator_refuses_anything_but_a_list_of_distinct_tags(value):
    with pytest.raises(ValidationError):
        tags_validate(value)


def _package(problem_yaml: str):
    files = {
        "problem.yaml": problem_yaml,
        "problem_statement/problem.md": "Add two numbers.\n",
        "data/secret/1.in": "2 2\n",
        "data/secret/1.ans": "4\n",
    }
    return package_parse(files={path: data.encode() for path, data in files.items()}, name="tiny")


@pytest.mark.parametrize(
    "keywords",
    [
        "keywords: graphs shortest_paths\n",  # legacy: one string
        "keywords: Graphs, shortest paths\n",
        "keywords: [graphs, Shortest Paths, graphs]\n",  # 2023-07: a list
    ],
)
def test_keywords_become_tags(keywords):
    package = _package("name: Tiny\n" + keywords)
    assert package.tags == ("graphs", "shortest-paths")
    assert package.warnings == ()


def test_keywords_that_cannot_be_tags_are_left_out_with_a_warning():
    many = " ".join(f"k{n}" for n in range(TAG_MAX_COUNT + 2))
    package = _package(f"name: Tiny\nkeywords: 'ok <script> {'x' * 40} {many}'\n")
    assert package.tags == ("ok", *(f"k{n}" for n in range(TAG_MAX_COUNT - 1)))
    warnings = " ".join(package.warnings)
    assert "keyword '<script>' ignored" in warnings
    assert f"longer than {TAG_MAX_CHARS}" in warnings
    assert f"only the first {TAG_MAX_COUNT} keywords" in warnings


def test_keywords_of_the_wrong_type_are_an_error():
    with pytest.raises(PackageError, match="keywords must be text or a list of text"):
        _package("name: Tiny\nkeywords: {graphs: 1}\n")


def test_export_writes_the_tags_as_keywords_and_reads_them_back():
    package = _package("name: Tiny\nkeywords: [graphs, c++]\n")
    files = package_files(package=package)
    assert "keywords: graphs c++" in files["problem.yaml"].decode()
    assert package_parse(files=files, name="tiny").tags == ("graphs", "c++")
