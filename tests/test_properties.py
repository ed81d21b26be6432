"""The promises, on any text: no crash, no invented text, idempotent, deterministic."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, InputError, Kind
from cleaner_plugins.decode import decode

CLEANER = Cleaner(autoload=False)

# Lines from the kinds a page is made of, plus arbitrary unicode.
SAMPLE_LINES = [
    "Advertisement",
    "TRENDING",
    "1",
    "Share this article",
    "© 2024 Example Media",
    "Home | News | Sport",
    "Related articles",
    "19:02",
    "By Jane Doe | 12 March 2024",
    "Photo: Getty Images",
    "|",
    "• Tags:",
    "The council approved the budget after a long debate on Tuesday evening, officials said.",
    "Residents were asked to comment on the plan before the end of the month, according to the report.",
    "Background:",
    "Source: the ministry",
    "A Headline About Something",
    "(Reuters)",
]
line = st.one_of(st.sampled_from(SAMPLE_LINES), st.text(max_size=80))
page = st.lists(st.one_of(line, st.just("")), max_size=40).map("\n".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def squash(s: str) -> str:
    """A line with white space and invisible characters aside."""
    return "".join(c for c in s if c.isprintable() and not c.isspace())


def assert_lines_accounted_for(result, text: str) -> None:
    """Every non-blank input line is either in the output or among the removals, once: none lost, none invented.

    Counted from the input and the output text, never from the decisions the removals come from.
    """
    given = Counter(squash(x) for x in text.splitlines())
    shown = Counter(squash(x) for x in result.text.split("\n")) + Counter(squash(r.text) for r in result.removed)
    del given[""], shown[""]
    assert shown == given


@SETTINGS
@given(page)
def test_every_output_line_is_an_input_line(text):
    result = CLEANER.clean(text)
    inputs = {squash(x) for x in text.splitlines()}
    for out in result.text.split("\n"):
        assert out == "" or squash(out) in inputs


@SETTINGS
@given(page)
def test_cleaning_twice_changes_nothing(text):
    once = CLEANER.clean(text).text
    assert CLEANER.clean(once).text == once


@SETTINGS
@given(page)
def test_same_input_same_output(text):
    assert CLEANER.clean(text).to_dict() == Cleaner(autoload=False).clean(text).to_dict()


@SETTINGS
@given(st.binary(max_size=300))
def test_bytes_never_crash(data):
    # Only bytes that are not text are refused, with one line that says why; text is cleaned.
    try:
        result = CLEANER.clean(data)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        with pytest.raises(InputError):
            decode(data)
        return
    text = decode(data)
    if result.kind is Kind.TEXT:
        inputs = {squash(x) for x in text.splitlines()}
        assert all(out == "" or squash(out) in inputs for out in result.text.split("\n"))


@SETTINGS
@given(page)
def test_body_and_title_make_the_text(text):
    r = CLEANER.clean(text)
    assert r.text == (r.body if r.title is None else (f"{r.title}\n\n{r.body}" if r.body else r.title))


# The same promises on a page judged in windows (cleaner.engine.WINDOW_LINES, made small
# here so that generated pages span several windows), but one: each window is settled, the
# page as a whole is not, so cleaning the output again may cut its windows elsewhere and
# judge a few lines otherwise (ARCHITECTURE.md, "Long pages").
WINDOWED = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
long_page = st.lists(st.one_of(line, st.just("")), min_size=9, max_size=60).map("\n".join)


@WINDOWED
@given(long_page)
def test_a_page_in_windows_keeps_the_promises(monkeypatch, text):
    from cleaner import engine
    from cleaner.model import DecisionLog

    monkeypatch.setattr(engine, "WINDOW_LINES", 8)
    result = CLEANER.clean(text)
    assert isinstance(result.decisions, DecisionLog) or len(text.splitlines()) <= 8
    inputs = {squash(x) for x in text.splitlines()}
    for out in result.text.split("\n"):
        assert out == "" or squash(out) in inputs
    assert result.to_dict() == Cleaner(autoload=False).clean(text).to_dict()
    with_title = f"{result.title}\n\n{result.body}" if result.body else result.title
    assert result.text == (result.body if result.title is None else with_title)
    assert_lines_accounted_for(result, text)
    assert [d.block.index for d in result.decisions] == list(range(len(result.decisions)))


# -- with site templates: a site's pages share lines, and each has lines of its own ----------

SITE_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(shared=st.lists(line, min_size=1, max_size=12), own=st.lists(st.lists(line, max_size=12), min_size=5, max_size=7))
@SITE_SETTINGS
def test_with_site_templates_no_text_is_invented_and_cleaning_again_changes_nothing(shared, own):
    from cleaner.templates import learn

    half = len(shared) // 2
    pages = [("\n".join(shared[:half] + mine + shared[half:]), f"https://s.example/{n}") for n, mine in enumerate(own)]
    cleaner = Cleaner(autoload=False, templates=learn(pages, cleaner=CLEANER))
    for content, url in pages:
        result = cleaner.clean(content, url=url, kind="text")
        assert_lines_accounted_for(result, content)
        assert cleaner.clean(result.text, url=url, kind="text").text == result.text
        assert cleaner.clean(content, url=url, kind="text").to_dict() == result.to_dict()
