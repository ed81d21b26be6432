"""Fuzz the input paths with random bytes: the CLI (files, stdin, every kind and format) and the
library. Never a traceback: either output and exit 0, or one ``clean: ...`` line and exit 1."""

from __future__ import annotations

import codecs
import os

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, CleanerError, InputError, Result
from cleaner.cli import clean_command
from cleaner_plugins.decode import decode

CLEANER = Cleaner(autoload=False)
ENV = {"CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}
_HUNT = int(os.environ.get("CLEANER_FUZZ_EXAMPLES", "0"))  # e.g. 2000, with a random seed, to hunt
SETTINGS = settings(max_examples=_HUNT or 80, derandomize=not _HUNT, deadline=None, suppress_health_check=list(HealthCheck))

_PREFIXES = [
    b"",
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_LE,
    b"%PDF-",
    b"\x1f\x8b",
    b"<!doctype html><html><body>",
    b"<html><head><meta charset=windows-1251>",
    b"<?xml version='1.0' encoding='latin-1'?><html>",
    b"<div>" * 300,
]
_TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<br>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<a href='x'>",
        "&amp;",
        "&#0;",
        "<![CDATA[",
        "<table><tr><td>",
    ]
)
_ENCODINGS = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1251", "latin-1", "cp1252", "koi8-r", "shift_jis", "gb18030"])


@st.composite
def encoded_text(draw) -> bytes:
    text = draw(st.text(max_size=300))
    return text.encode(draw(_ENCODINGS), errors="ignore")


@st.composite
def html_soup(draw) -> bytes:
    parts = draw(st.lists(st.one_of(_TAGS, st.text(max_size=40)), max_size=40))
    return "".join(parts).encode(draw(_ENCODINGS), errors="ignore")


@st.composite
def spliced(draw) -> bytes:
    """A prefix that claims a format or an encoding, then anything."""
    return draw(st.sampled_from(_PREFIXES)) + draw(st.one_of(st.binary(max_size=400), encoded_text(), html_soup()))


inputs = st.one_of(st.binary(max_size=600), encoded_text(), html_soup(), spliced())


def is_text(data: bytes) -> bool:
    """The decoder takes these bytes for text (else it refuses them, and so may clean)."""
    try:
        decode(data)
    except InputError:
        return False
    return True


def check_cli(result, name: str, data: bytes) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert result.stderr == ""
        result.stdout_bytes.decode("utf-8")  # always valid UTF-8
    else:
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"clean: {name}: "), result.stderr
        assert not is_text(data), f"text refused: {result.stderr}"


@SETTINGS
@given(data=inputs, kind=st.sampled_from(["auto", "text", "html"]), fmt=st.sampled_from(["text", "json", "explain"]))
def test_a_file_of_random_bytes(tmp_path_factory, data, kind, fmt):
    path = tmp_path_factory.mktemp("fuzz") / "page.txt"
    path.write_bytes(data)
    options = ["--explain"] if fmt == "explain" else ["--format", fmt]
    result = CliRunner().invoke(clean_command, ["--kind", kind, *options, str(path)], env=ENV)
    check_cli(result, str(path), data)


@SETTINGS
@given(data=inputs, kind=st.sampled_from(["auto", "text", "html"]))
def test_random_bytes_on_stdin(data, kind):
    result = CliRunner().invoke(clean_command, ["--kind", kind, "-"], input=data, env=ENV)
    check_cli(result, "<stdin>", data)


@SETTINGS
@given(data=inputs, kind=st.sampled_from([None, "text", "html"]))
def test_the_library_returns_a_result_or_raises_a_cleaner_error(data, kind):
    try:
        result = CLEANER.clean(data, kind=kind)
    except CleanerError as exc:
        assert str(exc) and "\n" not in str(exc)
        assert isinstance(exc, InputError) and not is_text(data), f"text refused: {exc!r}"
        return
    assert isinstance(result, Result)
    result.text.encode("utf-8")
