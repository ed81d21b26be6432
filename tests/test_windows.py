"""Very long pages are judged a window at a time, their decisions kept in a compact log.

The memory this saves is measured by ``python -m benchmarks.sizes`` (BENCHMARKS.md,
"Sizes"); here: the log gives back exactly what was filed, and a windowed page is
cleaned as its windows would be, with nothing lost and nothing invented.
"""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path

import pytest
from test_properties import assert_lines_accounted_for

from cleaner import Cleaner, Decision, Removal, engine
from cleaner.model import DecisionLog, RemovalLog

WORDS = (
    "the government said on tuesday that talks with its partners would continue through the winter "
    "while officials in the capital warned of rising prices and a shortage of fuel in several regions"
).split()
FIXTURES = Path(__file__).parent.parent / "fixtures"
BOILERPLATE = ["Advertisement", "Share on Facebook", "Home | World | Business | Sport", "Trending now", "© 2024 Example News"]


def page(rng: random.Random, lines: int) -> str:
    out: list[str] = []
    while len(out) < lines:
        if rng.random() < 0.4:
            out.append(rng.choice(BOILERPLATE))
        else:
            words = [rng.choice(WORDS) for _ in range(rng.randint(12, 30))]
            out.append(" ".join(words).capitalize() + ".")
        out.append("" if rng.random() < 0.5 else "  " + rng.choice(BOILERPLATE) + "  ")
    return "\n".join(out)


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner(autoload=False)


def test_the_log_gives_back_every_decision_as_filed(cleaner):
    rng = random.Random(3)
    first = cleaner.clean((FIXTURES / "000_6dfaa3aae3de5004.txt").read_text(encoding="utf-8"))  # a revised decision
    second = Cleaner(autoload=False, keep={"ad"}).clean(page(rng, 80))  # kept by request
    log = DecisionLog()
    log.add(first.decisions)
    log.add(second.decisions, line_offset=1000)
    assert len(log) == len(first.decisions) + len(second.decisions)
    expected = list(first.decisions) + [
        Decision(
            d.block.__class__(
                d.block.index + len(first.decisions),
                d.block.lineno + 1000,
                d.block.raw,
                d.block.text,
                d.block.blank_before,
                d.block.blank_after,
                d.block.indent,
            ),
            None if d.verdict is None else d.verdict.__class__(d.block.index + len(first.decisions), *_fields(d.verdict)),
            None if d.first is None else d.first.__class__(d.block.index + len(first.decisions), *_fields(d.first)),
            d.kept_by_request,
        )
        for d in second.decisions
    ]
    assert list(log) == expected
    assert any(d.kept_by_request for d in expected) and any(d.block.raw != d.block.text for d in expected)
    assert [d.revised for d in log] == [d.revised for d in (*first.decisions, *second.decisions)]
    assert any(d.revised for d in log)
    assert log[-1] == expected[-1] and log[3] == expected[3] and log[2:7] == tuple(expected[2:7])
    with pytest.raises(IndexError):
        log[len(expected)]
    removed = [
        Removal(d.block.lineno, d.block.text, d.verdict.category, d.verdict.reason, d.verdict.plugin)
        for d in expected
        if not d.keep and d.verdict is not None and d.verdict.category is not None
    ]
    assert list(log.removed) == removed and len(log.removed) == len(removed)
    assert log.removed[-1] == removed[-1] and log.removed[1:3] == tuple(removed[1:3])
    assert list(pickle.loads(pickle.dumps(log))) == expected


def _fields(verdict):
    return verdict.category, verdict.reason, verdict.strength, verdict.plugin


def test_a_long_page_is_cleaned_as_its_windows_would_be(cleaner, monkeypatch):
    monkeypatch.setattr(engine, "WINDOW_LINES", 50)
    rng = random.Random(7)
    text = page(rng, 170)  # 340 lines: six windows of 50 lines, and the rest
    result = cleaner.clean(text)
    assert isinstance(result.decisions, DecisionLog)

    lines = text.split("\n")
    numbered = [(i + 1, line.strip()) for i, line in enumerate(lines) if line.strip()]
    assert [(d.block.lineno, d.block.text) for d in result.decisions] == numbered
    assert [d.block.index for d in result.decisions] == list(range(len(numbered)))

    keep = []
    for start in range(0, len(lines), 50):
        alone = cleaner.clean("\n".join(lines[start : start + 50]))
        keep += [d.keep for d in alone.decisions]
    assert [d.keep for d in result.decisions] == keep
    assert not all(keep) and any(keep)

    kept = [d.block.text for d in result.decisions if d.keep]
    assert [line for line in result.text.split("\n") if line] == kept
    assert len(kept) + len(result.removed) == len(numbered)
    assert result.removals_by_category()["ad"] > 0


def test_a_page_just_over_the_window_keeps_its_last_line(cleaner, monkeypatch):
    monkeypatch.setattr(engine, "WINDOW_LINES", 10)
    sentence = "The council said on tuesday that the talks with its partners would continue all winter."
    text = "\r\n".join([sentence] * 10) + "\r\n" + "The last line has no line break after it, and it stays."
    result = cleaner.clean(text)
    assert isinstance(result.decisions, DecisionLog)
    assert [d.block.lineno for d in result.decisions] == list(range(1, 12))
    assert result.decisions[-1].block.text.startswith("The last line")


def test_a_page_of_fewer_lines_than_the_window_is_judged_whole(cleaner):
    result = cleaner.clean("\r\n".join(["A line of a short page that ends here."] * (engine.WINDOW_LINES // 2 + 10)))
    assert isinstance(result.decisions, tuple)


def test_30000_short_lines_take_three_windows_and_lose_nothing(cleaner):
    rng = random.Random(11)
    lines = [rng.choice(BOILERPLATE + [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))]) for _ in range(30_000)]
    text = "\n".join(lines)
    result = cleaner.clean(text)
    assert isinstance(result.decisions, DecisionLog)
    assert [d.block.text for d in result.decisions] == lines
    kept = [d.block.text for d in result.decisions if d.keep]
    assert [line for line in result.text.split("\n") if line] == kept
    assert_lines_accounted_for(result, text)


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "Only one line of prose that the cleaner keeps, since nothing around it says otherwise.",
        (FIXTURES / "002_f41431c53fcb015d.txt").read_text(encoding="utf-8"),
        'Advertisement\n"Quoted" \\ back\tslash, ünïcödé and 日本語\nAdvertisement',
    ],
    ids=["empty", "nothing-removed", "seed", "escapes"],
)
def test_json_in_pieces_is_exactly_json_dumps(cleaner, text, indent):
    result = cleaner.clean(text, url="https://example.com/a")
    expected = json.dumps({"source": "page.txt", **result.to_dict()}, ensure_ascii=False, indent=indent)
    pieces = list(result.json_chunks({"source": "page.txt"}, indent=indent))
    assert "".join(pieces) == expected
    assert len(pieces) == len(result.removed) + 2  # one piece per removal, none held at once


def test_json_of_a_page_in_windows_is_exactly_json_dumps(cleaner, monkeypatch):
    monkeypatch.setattr(engine, "WINDOW_LINES", 40)
    result = cleaner.clean(page(random.Random(5), 100))
    assert isinstance(result.removed, RemovalLog) and len(result.removed) > 10
    for indent in (None, 2):
        assert "".join(result.json_chunks(indent=indent)) == json.dumps(result.to_dict(), ensure_ascii=False, indent=indent)
