"""The fast paths of caption, byline and taxonomy find the same lines as a plain test of every line.

Each detector scans the whole page for a necessary condition of its line test, then tests
the candidates only; these tests compare it with the line-by-line reference on tricky lines
(case folding, digits at the edges, line starts, glued capitals), so that a prefilter that
misses a line fails here.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cleaner import Block, Category, Document, Strength, Verdict
from cleaner.textstats import LABEL_MAX_CHARS
from cleaner_plugins import byline, caption, taxonomy
from cleaner_plugins.textstats import is_prose, line_stats


def doc_of(lines: list[str]) -> Document:
    return Document(tuple(Block(i, i + 1, t, t, True, True, 0) for i, t in enumerate(lines)))


def caption_reference(doc):
    for block in doc.blocks:
        if caption.is_caption(block.text):
            yield Verdict.drop(block.index, Category.CAPTION, "an image caption or credit", Strength.HINT)


def byline_reference(doc):
    for block in doc.blocks:
        if len(block.text) <= LABEL_MAX_CHARS and byline.is_byline(block.text):
            yield Verdict.drop(block.index, Category.BYLINE, "an author or date line", Strength.HINT)


def taxonomy_reference(doc):
    blocks = doc.blocks
    for block in blocks:
        text = block.text
        if taxonomy._TAG_LABEL.match(text) and line_stats(text).words <= taxonomy.LABEL_MAX_WORDS * 3 and not is_prose(text):
            yield Verdict.drop(block.index, Category.TAXONOMY, "a tag or category label", Strength.RULE)
            tags = taxonomy._following_tags(blocks, block.index)
        elif taxonomy._KEY_ONLY.match(text):
            tags = taxonomy._following_tags(blocks, block.index)
            if not tags:
                continue
            yield Verdict.drop(block.index, Category.TAXONOMY, "a key whose values are short tags")
        elif (
            len(text) <= LABEL_MAX_CHARS
            and len(taxonomy._GLUE.findall(text)) >= taxonomy.GLUED_MIN_JOINS
            and line_stats(text).words <= taxonomy.LABEL_MAX_WORDS
            and not line_stats(text).sentence_end
            and not taxonomy._URL.match(text)
        ):
            yield Verdict.drop(block.index, Category.TAXONOMY, "tag links glued together without spaces")
            continue
        else:
            continue
        for i in tags:
            yield Verdict.drop(i, Category.TAXONOMY, "a tag under a tag label")


DETECTORS = [(caption, caption_reference), (byline, byline_reference), (taxonomy, taxonomy_reference)]


def assert_same(lines: list[str]) -> None:
    for module, reference in DETECTORS:
        fast = list(module.cleaner_judge(doc_of(lines)))
        slow = list(reference(doc_of(lines)))
        assert fast == slow, (module.__name__, lines)


TRICKY = [
    # caption: case folding ("ß" shifts the folded page, "İ"/"ı" fold apart from "i", "ſ" and
    # the Kelvin sign fold to "s" and "k", "ͅ" folds to a letter)
    "Straße gesperrt. Foto: dpa",
    "İMAGE: Reuters",
    "PıXABAY",
    "Photo pıxabay",
    "Video pıxabay",
    "Video iStock",
    "Video ſhutterſtocK",
    "pİxabay",
    "ſhutterſtocK",
    "Shutterstoc\u212a",
    "\u0345photo: x",
    "ﬆock photo by Getty Images",
    "ФОТО: Іван Петренко",
    "СВІТЛИНА: архів",
    "Video:Jane",
    "(Image credit: NASA)",
    "AFP/Getty",
    "Reuters / John Doe",
    "EPA-EFE/ANDY RAIN",
    "AP Photo",
    "Source: Getty Images",
    "Source: The ministry",
    "Picture credits : x",
    # byline: digits at the edges, times, dates in several forms, "By" at the start
    "2024",
    "12:30",
    "By Jane Doe",
    "by\u00a0Jane Doe",
    "Written by Jane Doe, 12 March 2024",
    "Updated 12:30 pm",
    "Published: 3.4.24",
    "March 5, 2024",
    "Mar. 5th, 2024 10:00",
    "2024年3月5日",
    "5 de mayo de 2024",
    "Автор: Іван 12.03.2024",
    "Обновлено 12:30",
    "Di Mario Rossi",
    "автор Іван Петренко",
    "٢٠٢٤-٠٣-٠٥",
    "0",
    "9/",
    # taxonomy: labels, bullets, glued capitals (Latin and Cyrillic)
    "Tags: politics",
    "• Region:",
    "• Country: • United States",
    "  Topics: x",
    "\tCategory: News",
    "KoreaUkraineUSANorth",
    "ПолітикаЕкономікаСвіт",
    "USANorthKorea",
    "USANorth UKRome",
    "iPhone iPad",
    "aB",
    "Europe",
    "Asia",
    "The end.",
]


@pytest.mark.parametrize("line", TRICKY)
def test_a_tricky_line_alone_and_in_a_page(line):
    assert_same([line])
    assert_same(["Some words before it", line, "Europe", "Asia", "The next paragraph ends here."])


def test_the_tricky_lines_together():
    assert_same(TRICKY)
    assert_same(TRICKY[::-1])


FRAGMENTS = [
    "photo",
    "Photo",
    "PHOTO",
    "image",
    "İmage",
    "pıxabay",
    "pixabay",
    "ſource",
    "source",
    "credit",
    "Getty Images",
    "shutterstoc\u212a",
    "istock",
    "AP Photo",
    "AFP",
    "Reuters",
    "EPA-EFE",
    "dpa",
    "alamy",
    "unsplash",
    "фото",
    "ß",
    "\u0345",
    ":",
    " : ",
    "(",
    ")",
    "/",
    " / ",
    "-",
    ".",
    ",",
    " ",
    "\t",
    "\u00a0",
    "2024",
    "12",
    "5",
    "3.4.24",
    "12:30",
    "pm",
    "年",
    "月",
    "日",
    "March",
    "mar.",
    "mayo",
    "марта",
    "By ",
    "by ",
    "Von ",
    "автор: ",
    "Updated",
    "Published",
    "Tags",
    "topics",
    "Region",
    "• ",
    "- ",
    "* ",
    "Korea",
    "Ukraine",
    "USA",
    "North",
    "Політика",
    "Світ",
    "a",
    "B",
    "!",
    ".",
    "?",
]
LINE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), min_size=1, max_size=8).map("".join)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE.filter(lambda t: "\n" not in t and t.strip()), min_size=1, max_size=6))
def test_random_pages(lines):
    assert_same(lines)


# DATE was written with one \b per form and no look-ahead; the faster form matches the same spans
_OLD_DATE = re.compile(
    rf"\b\d{{1,2}}[-./]\d{{1,2}}[-./](?:\d{{4}}|\d{{2}})\b|\b\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}\b"
    rf"|\b\d{{1,2}}\.?\s+(?:{byline._MONTHS})\.?,?\s+\d{{4}}\b|\b(?:{byline._MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\d{{4}}年\d{{1,2}}月\d{{1,2}}日",
    re.I,
)


@hsettings(max_examples=300, deadline=None)
@given(LINE)
def test_date_matches_as_written_plainly(text):
    old, new = _OLD_DATE.search(text), byline.DATE.search(text)
    assert (old and old.span()) == (new and new.span())


@pytest.mark.parametrize("line", [t for t in TRICKY if any(c.isdigit() for c in t)])
def test_date_of_the_tricky_lines(line):
    old, new = _OLD_DATE.search(line), byline.DATE.search(line)
    assert (old and old.span()) == (new and new.span())
