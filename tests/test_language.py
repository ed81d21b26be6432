"""metadata["language"]: identified on the cleaned text, in text and HTML mode; None when unsure."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cleaner import Cleaner
from cleaner.manager import BUILTIN_PLUGINS
from cleaner_plugins import language

BODY_DE = [
    "Der Gemeinderat hat am Dienstag nach langer Debatte den neuen Fahrplan für die Fähre über den See genehmigt.",
    "Ab dem kommenden Monat fahren die Schiffe jede halbe Stunde, und am Wochenende bis spät in die Nacht.",
    "Die Bürgermeisterin sagte, die Stadt habe lange auf diese Entscheidung gewartet und die Fahrgäste würden sie begrüßen.",
]
MENU_EN = ["Home", "World", "Business", "Sport", "Weather", "Subscribe to our newsletter"]
TRENDING_EN = ["Most read"] + [
    f"{i}. {headline}"
    for i, headline in enumerate(
        [
            "Ferry company reports a record summer for passengers on the lake",
            "New bridge over the river opens to traffic early next spring",
            "Local football club wins the regional cup after a long season",
            "Storm warning issued for the whole coast this coming weekend",
            "Bakery on the main square closes its doors after sixty years",
            "Council workers begin repairs on the old harbour wall today",
            "Farmers worry about the dry weather as the harvest approaches",
            "Museum of local history reopens with a new wing for children",
            "Police appeal for witnesses after a crash on the northern road",
            "School choir travels abroad for an international singing contest",
        ],
        1,
    )
]
FOOTER_EN = ["Privacy Policy", "Terms of use", "Contact us", "© 2024 Lakeside Media. All rights reserved."]
# a German article in an English site's chrome, which has more words than the article
PAGE = "\n".join([*MENU_EN, "", "Neuer Fahrplan für die Fähre", "", *(p + "\n" for p in BODY_DE), *TRENDING_EN, "", *FOOTER_EN])

HTML = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Neuer Fahrplan für die Fähre</title></head>
<body>
<nav><ul>{"".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in MENU_EN)}</ul></nav>
<main><article>
<h1>Neuer Fahrplan für die Fähre</h1>
{"".join(f"<p>{p}</p>" for p in BODY_DE)}
</article></main>
<footer>{"".join(f"<p>{x}</p>" for x in FOOTER_EN)}</footer>
</body></html>
"""


def test_the_language_is_the_cleaned_texts_not_the_boilerplates(default_cleaner):
    assert language.identify(PAGE)[0] == "en"  # the whole page reads as English...
    result = default_cleaner.clean(PAGE)
    assert "Most read" not in result.text and BODY_DE[0] in result.text
    assert result.metadata["language"] == "de"  # ... its article is German
    assert language.MIN_SCORE <= result.metadata["language_score"] <= 1


def test_html_mode_identifies_the_language_and_keeps_the_declared_one(default_cleaner):
    result = default_cleaner.clean(HTML, kind="html")
    assert BODY_DE[1] in result.text
    assert result.metadata["language"] == "de"
    assert result.metadata["declared_language"] == "en"  # what the template says
    json.dumps(dict(result.metadata))


def test_too_short_or_unsure_is_none(default_cleaner):
    assert language.identify("Thanks") == (None, None)  # fewer letters than MIN_LETTERS
    assert language.identify("1234 5678 — 9012") == (None, None)
    code, score = language.identify("Anna Karlsson Pedro Almeida Yuki Tanaka Olu Adeyemi")
    assert code is None and score is not None and score < language.MIN_SCORE  # names: no language
    result = default_cleaner.clean("Thanks")
    assert result.metadata["language"] is None and result.metadata["language_score"] is None


def test_codes_are_iso_639_1():
    codes = set(language.identifier().nb_classes)
    assert {"en", "uk", "de", "zh"} <= codes and all(len(code) == 2 for code in codes)
    # the model's three-letter-only languages are never answered
    for text in (" ".join(BODY_DE), "Рада ухвалила новий розклад поромів у вівторок після довгих дебатів."):
        code, _score = language.identify(text)
        assert code is not None and len(code) == 2


def test_only_the_first_max_chars_are_read():
    german = " ".join(BODY_DE)
    head = (german + " ") * (language.MAX_CHARS // len(german) + 1)
    tail = "The council approved the new timetable after a long debate on Tuesday evening. " * 200
    assert language.identify(head + tail)[0] == "de"
    assert language.identify(tail)[0] == "en"
    kept = language.kept_text([d for d in Cleaner(autoload=False).clean(PAGE).decisions])
    assert BODY_DE[0] in kept and "Most read" not in kept


def test_registered_as_a_metadata_plugin_and_can_be_disabled():
    assert ("language", "cleaner_plugins.language", "metadata") in BUILTIN_PLUGINS
    result = Cleaner(autoload=False, disable=["language"]).clean(PAGE)
    assert "language" not in result.metadata and "language_score" not in result.metadata
    assert BODY_DE[0] in result.text  # cleaning is the same without it


@pytest.mark.parametrize("extra", [[], ["--disable", "language"]])
def test_the_json_record_has_the_language(extra):
    p = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "--format", "json", *extra, "-"],
        input=PAGE.encode(),
        capture_output=True,
        env={**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert p.returncode == 0, p.stderr
    metadata = json.loads(p.stdout)["metadata"]
    if extra:
        assert "language" not in metadata
    else:
        assert metadata["language"] == "de" and isinstance(metadata["language_score"], float)


def test_the_bench_tools_references():
    from benchmarks.metadata import _same_name, declared

    assert declared('<!doctype html><html class="x" lang="pt-BR"><head>') == "pt"
    assert declared("<html><body>") is None
    assert _same_name("Ines Carvalho", "By Ines Carvalho, staff writer") and not _same_name("Ines", "Tomasz Wierzbicki")
    assert not _same_name(None, "Ines Carvalho") and not _same_name("", "")
