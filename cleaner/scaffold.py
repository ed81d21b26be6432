"""``clean new-plugin NAME``: a ready site-plugin package, tested by the kit out of the box.

The package holds a rules file (or, with ``python=True``, a hook module), its
``cleaner`` entry point, a fixture page with its expected text and a golden case, and a
test that runs the case through :mod:`cleaner.testing`. ``pip install -e`` it, then
``pytest`` passes; the project's own tests generate, install and test one, so the
scaffold cannot silently break.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from string import Template

from cleaner import __version__
from cleaner.errors import ConfigError

# The same shape as a rules file's site name: it is the plugin's, the entry point's and doc.site.
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_MAX_NAME = 40


def create_plugin(name: str, *, directory: str | os.PathLike[str] = ".", python: bool = False) -> Path:
    """Create the package ``cleaner-NAME`` in ``directory`` and return its folder.

    :param name: the site plugin's name (lower case letters, digits, - and _).
    :param directory: where to create the package's folder.
    :param python: write a hook module instead of a rules file.
    :raises ConfigError: a bad name, or the folder exists already.
    """
    if not _NAME.match(name) or len(name) > _MAX_NAME:
        raise ConfigError(f"bad plugin name {name!r}: use lower case letters, digits, - and _, starting with a letter")
    root = Path(directory) / f"cleaner-{name}"
    if root.exists():
        raise ConfigError(f"{root} exists already; choose another name or --dir")
    words = {
        "name": name,
        "package": "cleaner_" + name.replace("-", "_"),
        "domain": name.replace("_", "-") + ".example",
        "brand": name.replace("-", " ").replace("_", " ").title() + " News",
        "cleaner_version": ".".join(__version__.split(".")[:2]),
    }
    words["entry_point"] = words["package"] if python else f"{words['package']}:RULES"
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README_PYTHON if python else README_RULES,
        f"{words['package']}/__init__.py": HOOK_MODULE if python else RULES_MODULE,
        f"fixtures/{name}-example.txt": PAGE,
        f"fixtures/{name}-example.expected.txt": EXPECTED,
        f"fixtures/{name}-example.case.toml": CASE,
        "tests/test_golden.py": TEST,
    }
    if not python:
        files[f"{words['package']}/{name}.toml"] = RULES
    try:
        for rel, template in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(Template(template).substitute(words), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot create {root}: {exc.strerror or exc}") from None
    return root


# -- the templates ($name, $package, $domain, $brand, $entry_point, $cleaner_version) -----

PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "cleaner-$name"
version = "0.1.0"
description = "cleaner site plugin for $domain"
requires-python = ">=3.11"
dependencies = ["cleaner>=$cleaner_version"]

[project.optional-dependencies]
test = ["pytest>=8.0"]

# cleaner finds the plugin through this group; `clean plugins` lists it.
[project.entry-points.cleaner]
$name = "$entry_point"

[tool.setuptools]
packages = ["$package"]

[tool.setuptools.package-data]
$package = ["*.toml"]

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

RULES = """\
# Site rules for $name: which pages are the site's, and what to drop from them.
# The format is described in cleaner's docs/plugin-guide.md. Each rule is pinned by the
# golden cases in fixtures/ (run: pytest).

[site]
name = "$name"
domains = ["$domain"]  # the site's host names; subdomains and www. count too

# A page given without its URL is the site's when every fingerprint is found.
[[fingerprint]]
pattern = '^© \\d{4} $brand\\b'

# A line of the story that a generic detector takes for boilerplate: always keep it.
[[keep]]
line = "Latest"
reason = "the sub-heading of a story's newest part"

[[drop]]
line = ["Home", "World", "Business", "Sport"]
category = "nav"
reason = "the section menu"

[[drop]]
prefix = "Sponsored:"
category = "ad"
reason = "a sponsored link"

# From the MOST READ list to the end of the page: the list, then the footer.
[[block]]
start = "MOST READ"
end = "Contact the newsroom"
category = "trending"
reason = "the MOST READ list"

[[block]]
start = "Contact the newsroom"
category = "footer"
reason = "the footer"

# For HTML pages, elements to remove before the main text is extracted, e.g.:
# [[prune]]
# css = "aside.most-read"
"""

RULES_MODULE = '''\
"""$name: cleaner site rules for $domain, in $name.toml (read when cleaner loads it)."""

from cleaner.rules import RulesResource

RULES = RulesResource(__name__, "$name.toml")
'''

HOOK_MODULE = '''\
"""$name: a cleaner site plugin for $domain.

The hooks are cleaner's stages; their contracts are in cleaner's docs/plugin-guide.md.
A judging hook returns verdicts and never changes the page. For HTML pages, a
``cleaner_prune_html`` hook can remove elements before the main text is extracted.
"""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl

NAME = "$name"
DOMAINS = ("$domain",)
FOOTER = re.compile(r"^© \\d{4} $brand\\b")
MENU = frozenset({"Home", "World", "Business", "Sport"})
# Blocks from a heading line to the next one's (or to the end of the page): (heading, category).
SECTIONS = (("MOST READ", Category.TRENDING), ("Contact the newsroom", Category.FOOTER))


@hookimpl
def cleaner_claim(doc: Document) -> str | None:
    """The site's pages: by host, or by the copyright line when there is no URL."""
    if doc.host and any(doc.host == d or doc.host.endswith("." + d) for d in DOMAINS):
        return NAME
    if any(FOOTER.match(b.text) for b in doc.blocks):
        return NAME
    return None


@hookimpl
def cleaner_judge(doc: Document) -> list[Verdict] | None:
    if doc.site != NAME:
        return None
    verdicts: dict[int, Verdict] = {}
    section = None
    for b in doc.blocks:
        section = next((category for heading, category in SECTIONS if b.text == heading), section)
        if b.text == "Latest":  # the sub-heading of a story's newest part
            verdicts[b.index] = Verdict.keeping(b.index, f"{NAME}: a story sub-heading", Strength.FORCE)
        elif b.text in MENU:
            verdicts[b.index] = Verdict.drop(b.index, Category.NAV, f"{NAME}: the section menu", Strength.RULE)
        elif b.text.startswith("Sponsored:"):
            verdicts[b.index] = Verdict.drop(b.index, Category.AD, f"{NAME}: a sponsored link", Strength.RULE)
        elif section is not None:
            verdicts[b.index] = Verdict.drop(b.index, section, f"{NAME}: the {section} after the story", Strength.RULE)
    return list(verdicts.values())
'''

# An invented page (no real site's text): the story, the site's menu, a sponsored link,
# a share prompt, a most-read list and a footer.
PAGE = """\
Home
World
Business
Sport

Harbour council approves new ferry timetable

By Dana Whitlow | 3 March 2025, 09:14

The harbour council voted on Tuesday to add two early ferry crossings on weekdays, starting next month.

Commuters had asked for the change for two years, saying the first boat left too late for morning shifts.

Latest

"This is what people asked for, and it costs the town very little," the council's chair said after the vote.

Sponsored: Explore the coast with Seaway Tours

Share this story

MOST READ
Storm closes coastal road
Library extends opening hours
New bakery opens in the old station

Contact the newsroom
© 2025 $brand. All rights reserved.
"""

EXPECTED = """\
Harbour council approves new ferry timetable

The harbour council voted on Tuesday to add two early ferry crossings on weekdays, starting next month.

Commuters had asked for the change for two years, saying the first boat left too late for morning shifts.

Latest

"This is what people asked for, and it costs the town very little," the council's chair said after the vote.
"""

CASE = """\
# A page of $domain, cleaned by cleaner's built-in plugins and this plugin.
# `pytest --update-golden` rewrites the expected text after showing how it changed.
input = "$name-example.txt"
expected = "$name-example.expected.txt"
url = "https://www.$domain/news/harbour-ferry-timetable"
must_keep = ["Harbour council approves", "Latest", "the council's chair said"]

[[must_drop]]
text = "Business"
category = "nav"

[[must_drop]]
text = "Sponsored:"
category = "ad"

[[must_drop]]
text = "Library extends opening hours"
category = "trending"

[[must_drop]]
text = "All rights reserved"
category = "footer"
"""

TEST = '''\
"""The golden cases in fixtures/, run by cleaner's test kit (the pytest plugin shipped
with cleaner): each page is cleaned by the built-in plugins plus exactly this one.

A new case: save a page as fixtures/NAME.txt, write fixtures/NAME.case.toml (see the
example there), then `pytest --update-golden` writes NAME.expected.txt. Read it.
"""

import pathlib

import pytest

from cleaner import Cleaner
from cleaner.testing import load_cases, plugins_under_test

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"
CASES = load_cases(FIXTURES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_golden(case, cleaner_golden):
    cleaner_golden.check(case, plugin="$name")


def test_a_page_without_its_url_is_claimed_by_its_fingerprint():
    cleaner = Cleaner(autoload=False, plugins=plugins_under_test("$name"))
    result = cleaner.clean(CASES[0].input.read_bytes())
    assert result.metadata.get("site") == "$name"
'''

# How to install, test and extend the generated package; the same for both kinds.
_README_USAGE = """\
    pip install -e '.[test]'
    pytest                              # the golden cases in fixtures/
    clean plugins                       # lists $name
    clean --explain fixtures/$name-example.txt

Add a case: save a page as `fixtures/NAME.txt`, write `fixtures/NAME.case.toml` like the
example, run `pytest --update-golden` and read the expected text it wrote.
"""

README_RULES = (
    """\
# cleaner-$name

Site rules for cleaner on $domain: a rules file,
`$package/$name.toml`, with no Python.

"""
    + _README_USAGE
)

README_PYTHON = (
    """\
# cleaner-$name

A site plugin for cleaner on $domain, as a hook module: `$package/__init__.py`.

"""
    + _README_USAGE
)
