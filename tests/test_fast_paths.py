"""Fast paths agree with the plain rules they stand for (whole-page scans, shortcuts)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Block, Document
from cleaner_plugins import textstats
from cleaner_plugins.textstats import page


def _doc(lines: list[str]) -> Document:
    return Document(tuple(Block(i, i + 1, t, t) for i, t in enumerate(lines)))


def test_lines_with_names_each_matching_line_once_in_order():
    p = page(_doc(["Photo: AP", "no match here", "photo photo photo", "a photo", "last"]))
    assert p.lines_with(re.compile("photo", re.I)) == [0, 2, 3]
    assert p.lines_with(re.compile("nothing")) == []
    assert p.lines_with(re.compile("^last$", re.M)) == [4]


@given(st.lists(st.text(alphabet="ab ©.", min_size=1, max_size=8), min_size=1, max_size=12), st.sampled_from(["a", "©", "ab", ". "]))
def test_lines_holding_agrees_with_testing_each_line(lines, part):
    lines = [t for t in lines if t.strip()] or ["a"]
    assert page(_doc(lines)).lines_holding(part) == [i for i, t in enumerate(lines) if part in t]


@given(st.lists(st.text(alphabet="ab \t.", min_size=1, max_size=8), min_size=1, max_size=12), st.sampled_from(["a", "b+", r"a[^\S\n]b", r"\.$", "^b"]))
def test_lines_with_agrees_with_testing_each_line(lines, pattern):
    lines = [t for t in lines if t.strip()] or ["a"]
    compiled = re.compile(pattern, re.M)
    p = page(_doc(lines))
    assert p.lines_with(compiled) == [i for i, t in enumerate(lines) if compiled.search(t)]


@given(st.text(max_size=80) | st.sampled_from(["İN the Straße", "Ünïcödé words, and the end.", "日本語の文章です。", "a_b 12 ３４ x", "K\u212a ſ"]))
def test_line_stats_fast_path_agrees_with_the_sliced_count(text):
    from cleaner_plugins.textstats import _line_stats, _long_line_stats

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
