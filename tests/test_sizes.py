"""Pages of hostile sizes and shapes are cleaned whole: nothing crashes, nothing is lost.

Times and memory are measured by ``python -m benchmarks.sizes`` (BENCHMARKS.md, "Sizes"),
never asserted here; these inputs are moderately large so that a super-linear spot makes
the suite crawl rather than pass unnoticed.
"""

from __future__ import annotations

import random

import lxml.html
import pytest
from click.testing import CliRunner
from test_properties import assert_lines_accounted_for

from cleaner import Cleaner, Kind
from cleaner.cli import clean_command
from cleaner.htmldepth import MAX_DEPTH, flatten, limit_hit

WORDS = (
    "the government said on tuesday that talks with its partners would continue through the winter "
    "while officials in the capital warned of rising prices and a shortage of fuel in several regions"
).split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(10, 20)) for _ in range(3))


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner(autoload=False)


def accounted_for(result, text: str) -> None:
    """Every non-blank input line is in the output or among the removals, once: none lost, none invented."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    decided = [d.block.text for d in result.decisions]
    assert decided == lines
    assert_lines_accounted_for(result, text)


def test_an_empty_file(cleaner, tmp_path):
    assert cleaner.clean(b"").text == ""
    assert cleaner.clean("").removed == ()
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = CliRunner().invoke(clean_command, [str(path)], env={"CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert result.exit_code == 0 and result.stdout.strip() == "" and result.stderr == ""


@pytest.mark.slow
def test_a_single_2mb_line_of_prose_comes_back_whole(cleaner):
    rng = random.Random(1)
    line = " ".join(sentence(rng, rng.randint(5, 25)) for _ in range(23_000))
    assert len(line) > 2_000_000
    result = cleaner.clean(line.encode())
    assert result.text == line


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    ["x", ". ", "|", "| Home ", "© ", "19:02 ", "😀", "Укр Рус Eng ", "a@b.c ", "Photo: ", "12.12.2024 ", "USANorth"],
)
def test_a_1mb_line_of_one_repeated_piece_is_judged_and_accounted_for(cleaner, unit):
    text = unit * (1_000_000 // len(unit))
    result = cleaner.clean(text)
    accounted_for(result, text)


@pytest.mark.parametrize(
    "line",
    ["a" + "!" * 300_000 + "b", "Home " + "— " * 150_000 + "end", "a" + " ." * 150_000 + "b"],
    ids=["bangs", "dashes", "dots"],
)
def test_a_long_line_of_punctuation_in_html_is_cleaned(cleaner, line):
    # matching the headline to the <title> looks at each line's edges (label_key), which
    # once took minutes on these
    html = (
        "<html><head><title>A headline here</title></head>"
        f"<body><article><p>{line}</p><p>{sentence(random.Random(6), 20)}</p></article></body></html>"
    )
    result = cleaner.clean(html, kind="html")
    assert line.replace(" ", "") in "".join([result.text, *(r.text for r in result.removed)]).replace(" ", "")


@pytest.mark.slow
def test_a_page_of_100_thousand_short_lines_loses_none(cleaner):
    rng = random.Random(2)
    makers = (
        lambda: rng.choice(WORDS).capitalize(),
        lambda: str(rng.randint(1, 999)),
        lambda: f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        lambda: " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(3, 8))),
        lambda: sentence(rng, rng.randint(3, 9)),
        lambda: "",
    )
    text = "\n".join(rng.choice(makers)() for _ in range(100_000))
    result = cleaner.clean(text)
    accounted_for(result, text)


@pytest.mark.slow
def test_a_5mb_page_keeps_every_article_paragraph_in_order(cleaner):
    rng = random.Random(3)
    boilerplate = ("Advertisement", "Home | World | Business | Sport", "Share on Facebook", "© 2024 Example Media", "TRENDING")
    parts: list[str] = []
    article: list[str] = []
    while sum(map(len, parts)) < 5_000_000:
        parts += list(rng.sample(boilerplate, 3))
        for _ in range(6):
            p = paragraph(rng)
            article.append(p)
            parts.append(p)
    text = "\n\n".join(parts)
    result = cleaner.clean(text.encode())
    kept = result.text.split("\n\n")
    positions = [kept.index(p) for p in article]  # every paragraph is there
    assert positions == sorted(positions)
    accounted_for(result, text)


# -- HTML: nested deeper than lxml parses ---------------------------------------------------


def deep_html(depth: int, rng: random.Random) -> tuple[str, list[str]]:
    texts = [sentence(rng, 12) + f" Number {i}." for i in range(depth)]
    body = "".join(f"<div><p>{t}</p>" for t in texts) + "</div>" * depth
    return f"<!doctype html><html><head><title>Deep</title></head><body>{body}</body></html>", texts


def test_html_nested_5000_deep_keeps_all_its_text(cleaner):
    html, texts = deep_html(5000, random.Random(4))
    result = cleaner.clean(html.encode(), kind="html")
    assert result.kind is Kind.HTML
    lines = result.text.splitlines()
    assert [line for line in lines if line.endswith(".")][-1] == texts[-1]
    positions = [lines.index(t) for t in texts]
    assert positions == sorted(positions)


def test_libxml2_limits_are_seen():
    parser = lxml.html.HTMLParser()
    lxml.html.document_fromstring("<div>" * 300 + "deep", parser=parser)
    assert limit_hit(parser) == "depth"
    parser = lxml.html.HTMLParser()
    lxml.html.document_fromstring("<p>shallow</p>", parser=parser)
    assert limit_hit(parser) is None


def _depth(tree) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node)
    return deepest


def test_flatten_bounds_the_depth_and_keeps_every_tag_and_text_in_order():
    html, texts = deep_html(1000, random.Random(5))
    flat = flatten(html)
    parser = lxml.html.HTMLParser(huge_tree=True)
    tree = lxml.html.document_fromstring(flat, parser=parser)
    assert limit_hit(parser) is None
    assert _depth(tree) <= MAX_DEPTH + 3  # html, body, and the paragraph inside the deepest div
    assert [p.text for p in tree.iter("p")] == texts
    assert flat.count("<div>") == html.count("<div>")


def test_flatten_leaves_shallow_html_as_it_was():
    html = (
        '<html><head><script>if (a < b && c > d) { x("<div>") }</script></head>'
        '<body><!-- a <div> in a comment --><p class="x">One &amp; two<br/>three</p><ul><li>a<li>b</ul></body></html>'
    )
    assert flatten(html) == html


@pytest.mark.parametrize(
    "hostile",
    [
        "<a" * 100_000,
        "</" * 100_000,
        "</div>" * 100_000 + "<p>x</p>",
        "<!--" + "x " * 200_000,
        "<div class='" + "x" * 200_000,
        "<script>" + "<div>" * 50_000,
        "<p>x" * 100_000,
    ],
)
def test_flatten_stays_linear_on_malformed_markup(hostile):
    # Python's html.parser takes minutes on the first of these; flatten reads each character once
    out = flatten(hostile)
    assert len(out) >= len(hostile) * 0.9
