"""Fast paths agree with the plain rules they stand for (whole-page scans, shortcuts)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Block, Document, textstats


def _doc(lines: list[str]) -> Document:
    return Document(tuple(Block(i, i + 1, t, t) for i, t in enumerate(lines)))


def test_lines_with_names_each_matching_line_once_in_order():
    p = (_doc(["Photo: AP", "no match here", "photo photo photo", "a photo", "last"])).view
    assert p.lines_with(re.compile("photo", re.I)) == [0, 2, 3]
    assert p.lines_with(re.compile("nothing")) == []
    assert p.lines_with(re.compile("^last$", re.M)) == [4]


@given(
    st.lists(st.text(alphabet="ab ©.", min_size=1, max_size=8), min_size=1, max_size=12), st.sampled_from(["a", "©", "ab", ". "])
)
def test_lines_holding_agrees_with_testing_each_line(lines, part):
    lines = [t for t in lines if t.strip()] or ["a"]
    assert _doc(lines).view.lines_holding(part) == [i for i, t in enumerate(lines) if part in t]


@given(
    st.lists(st.text(alphabet="ab \t.", min_size=1, max_size=8), min_size=1, max_size=12),
    st.sampled_from(["a", "b+", r"a[^\S\n]b", r"\.$", "^b"]),
)
def test_lines_with_agrees_with_testing_each_line(lines, pattern):
    lines = [t for t in lines if t.strip()] or ["a"]
    compiled = re.compile(pattern, re.M)
    p = _doc(lines).view
    assert p.lines_with(compiled) == [i for i, t in enumerate(lines) if compiled.search(t)]


@given(
    st.text(max_size=80)
    | st.sampled_from(["İN the Straße", "Ünïcödé words, and the end.", "日本語の文章です。", "a_b 12 ３４ x", "K\u212a ſ"])
)
def test_line_stats_fast_path_agrees_with_the_sliced_count(text):
    from cleaner.textstats import _line_stats, _long_line_stats

    assert _line_stats(text) == _long_line_stats(text)


@given(st.text(alphabet=st.sampled_from(list(" \t\u00a0a\u2028\u200b\n\r.b\x85\ud800")), max_size=30))
def test_normalising_a_whole_page_is_normalising_each_line(text):
    from cleaner_plugins.normalize import cleaner_normalize, normalize_line

    assert cleaner_normalize(text) == "\n".join(normalize_line(line) for line in text.split("\n"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab (x);{}[]=,/#$> *!\n")), max_size=30))
def test_is_code_tests_the_pattern_only_where_it_can_match(text):
    line = text.replace("\n", "")
    assert textstats.is_code(line) == (textstats._CODE.search(line) is not None)


def test_the_page_view_is_built_once_per_document_and_the_old_module_still_serves_it():
    import cleaner_plugins.textstats as old

    doc = _doc(["Home", "A line of prose that ends as a sentence does, with the words in it."])
    assert doc.view is doc.view
    assert old.page(doc) is doc.view
    assert doc.view.prose == (False, True) and doc.view.keys[0] == "home"
    for name in old.__all__:
        if name != "page":
            assert getattr(old, name) is getattr(textstats, name), name
