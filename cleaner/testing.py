"""The plugin author's test kit: golden cases, run by pytest (entry point ``pytest11``).

A golden case is a page, the text it must clean to, and optional snippets that must be
kept or dropped as a given category. It is a file ``NAME.case.toml`` beside the page::

    input = "NAME.txt"                  # the page, in the same folder
    expected = "NAME.expected.txt"      # the cleaned text it must give
    url = "https://example.com/a/1"     # optional: the page's URL
    kind = "html"                       # optional: text or html (default: sniffed)
    keep = ["caption"]                  # optional: categories kept in the text
    disable = ["trending"]              # optional: plugins not to use
    must_keep = ["(With inputs from agencies.)"]

    [[must_drop]]
    text = "Left Menu"                  # every line containing it is dropped ...
    category = "nav"                    # ... as this category
    [[must_drop]]
    line = 8                            # or: this line of the page text
    category = "duplicate"

Cases live in a folder of their own (``fixtures/``), or beside the plugin they test: the
built-in site plugins keep theirs as ``plugins/sites/NAME.case.toml`` beside
``NAME.toml`` (tests/test_golden.py runs both folders). :func:`load_cases` reads every
``*.case.toml`` of a folder, so adding a case needs no list to be edited. (A folder of
rules given to ``--rules`` or CLEANER_RULES is read as rules files, ``*.toml``: keep
cases out of it.)

A test uses the ``cleaner_golden`` fixture; each case runs on a fresh engine with the
built-in plugins and exactly the plugin under test::

    @pytest.mark.parametrize("case", load_cases(FIXTURES), ids=str)
    def test_golden(case, cleaner_golden):
        cleaner_golden.check(case, plugin="mysite")

On a mismatch the test fails with a diff in which every differing line shows its
verdict, category, reason and plugin. ``pytest --update-golden`` rewrites the expected
files from the cleaned text (the must-keep and must-drop checks still apply) and shows
each diff at the end of the run.
"""

from __future__ import annotations

import difflib
import importlib.metadata as md
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cleaner.engine import Cleaner
from cleaner.errors import CleanerError, ConfigError
from cleaner.manager import BUILTIN_DISTRIBUTION, ENTRY_POINT_GROUP
from cleaner.model import Category, Decision, Kind, Result
from cleaner.rules import SUFFIX, Locator, did_you_mean, load_rules

CASE_SUFFIX = ".case.toml"
EXPECTED_SUFFIX = ".expected.txt"
UPDATE_OPTION = "--update-golden"
# Lines of unchanged context around each difference in a failure's diff.
DIFF_CONTEXT = 2

CASE_KEYS = ("input", "expected", "url", "kind", "keep", "disable", "must_keep", "must_drop")
MUST_DROP_KEYS = ("text", "line", "category")

__all__ = ["CaseOutcome", "GoldenCase", "MustDrop", "load_case", "load_cases", "plugins_under_test", "run_case"]


# -- cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MustDrop:
    """Lines that must be dropped as ``category``: those containing ``text``, or line ``line``."""

    category: Category
    text: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        what = f"text {self.text!r}" if self.text is not None else f"line {self.line}"
        return f"must_drop {what} as {self.category}"

    def selects(self, d: Decision) -> bool:
        if self.text is not None:
            return self.text in d.block.text
        return d.block.lineno == self.line


@dataclass(frozen=True)
class GoldenCase:
    """One golden case, read from its ``.case.toml`` file (see the module's doc)."""

    name: str
    path: Path
    input: Path
    expected: Path
    url: str | None = None
    kind: Kind | None = None
    keep: tuple[Category, ...] = ()
    disable: tuple[str, ...] = ()
    must_keep: tuple[str, ...] = ()
    must_drop: tuple[MustDrop, ...] = ()

    def __str__(self) -> str:
        return self.name


def load_cases(folder: str | os.PathLike[str]) -> list[GoldenCase]:
    """The golden cases in a folder (every ``*.case.toml``), sorted by name.

    :raises ConfigError: the folder does not exist, or a case file is invalid.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"golden case folder {str(folder)!r} does not exist")
    return [load_case(p) for p in sorted(folder.glob("*" + CASE_SUFFIX))]


def load_case(path: str | os.PathLike[str]) -> GoldenCase:
    """Read and validate one case file; ConfigError names the file and the line."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    loc = Locator(text, str(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise loc.toml_error(exc) from None
    for key in data:
        if key not in CASE_KEYS:
            raise loc.error((key,), f"unknown key {key!r}{did_you_mean(key, CASE_KEYS)}")
    name = path.name.removesuffix(CASE_SUFFIX)
    if not isinstance(data.get("input"), str):
        raise loc.error(("input",), 'a case needs input = "FILE", the page beside the case file')
    page = path.parent / data["input"]
    if not page.is_file():
        raise loc.error(("input",), f"the page {data['input']!r} does not exist")
    expected = data.get("expected", name + EXPECTED_SUFFIX)
    if not isinstance(expected, str):
        raise loc.error(("expected",), "'expected' must be a file name")
    url = data.get("url")
    if url is not None and not isinstance(url, str):
        raise loc.error(("url",), "'url' must be a string")
    kind = data.get("kind")
    if kind is not None:
        try:
            kind = Kind(kind)
        except ValueError:
            raise loc.error(("kind",), f"unknown kind {kind!r} (valid: text, html)") from None
    try:
        keep = tuple(Category.parse(c) for c in _strings(loc, data, "keep"))
    except ValueError as exc:
        raise loc.error(("keep",), str(exc)) from None
    must_drop = data.get("must_drop", [])
    if not isinstance(must_drop, list) or not all(isinstance(m, dict) for m in must_drop):
        raise loc.error(("must_drop",), "'must_drop' is a list of tables: write [[must_drop]]")
    return GoldenCase(
        name=name,
        path=path,
        input=page,
        expected=path.parent / expected,
        url=url,
        kind=kind,
        keep=keep,
        disable=tuple(_strings(loc, data, "disable")),
        must_keep=tuple(_strings(loc, data, "must_keep")),
        must_drop=tuple(_must_drop(loc, n, m) for n, m in enumerate(must_drop)),
    )


def _strings(loc: Locator, data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise loc.error((key,), f"{key!r} must be a list of non-empty strings")
    return value


def _must_drop(loc: Locator, n: int, spec: dict[str, Any]) -> MustDrop:
    where = ("must_drop", n)
    for key in spec:
        if key not in MUST_DROP_KEYS:
            raise loc.error((*where, key), f"unknown key {key!r} in [[must_drop]]{did_you_mean(key, MUST_DROP_KEYS)}")
    if ("text" in spec) == ("line" in spec):
        raise loc.error(where, "[[must_drop]] needs one of text, line")
    text, line = spec.get("text"), spec.get("line")
    if text is not None and (not isinstance(text, str) or not text):
        raise loc.error((*where, "text"), "'text' must be a non-empty string")
    if line is not None and (isinstance(line, bool) or not isinstance(line, int) or line < 1):
        raise loc.error((*where, "line"), "'line' must be a line number, from 1")
    try:
        category = Category.parse(spec["category"]) if isinstance(spec.get("category"), str) else None
    except ValueError as exc:
        raise loc.error((*where, "category"), str(exc)) from None
    if category is None:
        raise loc.error(where, '[[must_drop]] needs category = "...", the category it must be dropped as')
    return MustDrop(category, text, line)


# -- running a case --------------------------------------------------------------------


def plugins_under_test(plugin: Any) -> list[Any]:
    """The plugin objects to add to the built-ins for ``plugin``.

    :param plugin: None (the built-ins alone); the name of an installed plugin (its
        entry point in the ``cleaner`` group); the path of a rules file; a plugin object
        (module, class or instance); or a list of these.
    :raises ConfigError: no such plugin is installed, or the rules file is invalid.
    """
    if plugin is None:
        return []
    if isinstance(plugin, (list, tuple)):
        return [p for item in plugin for p in plugins_under_test(item)]
    if isinstance(plugin, os.PathLike) or (isinstance(plugin, str) and plugin.endswith(SUFFIX)):
        return [load_rules(plugin)]
    if isinstance(plugin, str):
        eps = [ep for ep in md.entry_points(group=ENTRY_POINT_GROUP) if ep.name == plugin]
        if not eps:
            raise ConfigError(
                f"no plugin {plugin!r} is installed (entry point group {ENTRY_POINT_GROUP!r}): "
                "'pip install -e .' the package, or give the rules file's path"
            )
        if any(ep.dist is not None and ep.dist.metadata["Name"] == BUILTIN_DISTRIBUTION for ep in eps):
            return []  # a built-in: it is there anyway
        return [_named(eps[0].load(), plugin)]
    return [plugin]


def _named(obj: Any, name: str) -> Any:
    from cleaner.rules import RulesResource

    if isinstance(obj, RulesResource):
        obj = obj.load(source=f"entry point {name}")
    if getattr(obj, "name", None) is None and not isinstance(obj, type):
        # a module registers under its last dotted name; the entry point's name is the one users know
        return _Renamed(obj, name)
    return obj


class _Renamed:
    """A plugin module registered under its entry point's name, as the manager does."""

    def __init__(self, module: Any, name: str) -> None:
        self.name = name
        self.source = f"entry point {name}"
        for attr in dir(module):
            if attr.startswith("cleaner_"):
                setattr(self, attr, getattr(module, attr))


@dataclass(frozen=True)
class CaseOutcome:
    """What running a case gave.

    :ivar case: the case.
    :ivar result: the cleaning result.
    :ivar expected: the expected text, or None when the file does not exist.
    :ivar failures: the must-keep and must-drop checks that failed, one line each.
    """

    case: GoldenCase
    result: Result
    expected: str | None
    failures: tuple[str, ...]

    @property
    def text(self) -> str:
        """The cleaned text as the expected file holds it (ending in a newline)."""
        return self.result.text + "\n"

    @property
    def text_matches(self) -> bool:
        return self.expected is not None and self.expected.removesuffix("\n") == self.result.text

    @property
    def ok(self) -> bool:
        return self.text_matches and not self.failures

    def diff(self) -> str:
        """The expected text against the cleaned text, each differing line explained."""
        return explain_diff(self.expected or "", self.result, f"expected ({self.case.expected.name})", "cleaned")

    def report(self) -> str:
        """Why the case fails, for a person to read."""
        parts = [f"golden case {self.case.name} ({self.case.path}):"]
        if self.expected is None:
            parts.append(f"{self.case.expected.name} does not exist; `pytest {UPDATE_OPTION}` writes it from this output:")
            parts.append(self.text)
        elif not self.text_matches:
            parts.append(
                f"the cleaned text differs from {self.case.expected.name} "
                f"(`pytest {UPDATE_OPTION}` rewrites it after showing this diff):"
            )
            parts.append(self.diff())
        parts.extend(self.failures)
        return "\n".join(parts)


def run_case(case: GoldenCase, plugin: Any = None, *, cleaner: Cleaner | None = None) -> CaseOutcome:
    """Clean the case's page and check it against the case.

    :param case: the case.
    :param plugin: the plugin under test (see :func:`plugins_under_test`).
    :param cleaner: an engine to use instead of a fresh one (then ``plugin``, the case's
        ``keep`` and ``disable`` are the caller's business).
    """
    if cleaner is None:
        cleaner = Cleaner(autoload=False, plugins=plugins_under_test(plugin), keep=case.keep, disable=case.disable)
    result = cleaner.clean(case.input.read_bytes(), url=case.url, kind=case.kind, filename=case.input.name)
    expected = case.expected.read_text(encoding="utf-8") if case.expected.is_file() else None
    return CaseOutcome(case, result, expected, tuple(check_snippets(case, result)))


def check_snippets(case: GoldenCase, result: Result) -> list[str]:
    """The must-keep and must-drop checks that fail, each with the verdict that decided."""
    failures = []
    for snippet in case.must_keep:
        if snippet not in result.text:
            where = [d for d in result.decisions if snippet in d.block.text]
            failures.append(
                f"must_keep {snippet!r}: not in the cleaned text" + "".join(f"\n    {describe(d)}" for d in where[:3])
            )
    for rule in case.must_drop:
        matched = [d for d in result.decisions if rule.selects(d)]
        if not matched:
            failures.append(f"{rule}: no line of the page has it")
        for d in matched:
            if d.keep or d.verdict is None or d.verdict.category is not rule.category:
                failures.append(f"{rule}: {describe(d)}")
    return failures


# -- explaining ------------------------------------------------------------------------


def describe(d: Decision) -> str:
    """One decision in words: the line, kept or dropped, as what, why and by whom."""
    v = d.verdict
    line = f"line {d.block.lineno} {_short(d.block.text)}"
    if d.kept_by_request and v is not None:
        return f"{line}: kept by request, though {v.plugin} drops it as {v.category} ({v.reason})"
    if v is None:
        return f"{line}: kept (no plugin spoke of it)"
    first = ""
    if d.first is not None and d.first is not v:
        first = f"; first pass: {'keep' if d.first.keep else d.first.category} by {d.first.plugin}"
    if v.keep:
        return f"{line}: kept by {v.plugin} ({v.reason}{first})"
    return f"{line}: dropped as {v.category} by {v.plugin} ({v.reason}{first})"


def explain_diff(expected: str, result: Result, expected_name: str = "expected", actual_name: str = "cleaned") -> str:
    """A unified diff of the expected and the cleaned text; under each line that differs,
    the decision on the page's line with that text."""
    want = expected.removesuffix("\n").split("\n")
    got = result.text.split("\n")
    by_text: dict[str, list[Decision]] = {}
    for d in result.decisions:
        by_text.setdefault(d.block.text, []).append(d)
    out = []
    for line in difflib.unified_diff(want, got, expected_name, actual_name, n=DIFF_CONTEXT, lineterm=""):
        out.append(line)
        if line[:1] not in "+-" or line.startswith(("+++", "---")) or not line[1:].strip():
            continue
        candidates = by_text.get(line[1:].strip(), [])
        # a missing line is explained by a drop, an extra one by a keep
        wanted_keep = line[0] == "+"
        chosen = next((d for d in candidates if d.keep == wanted_keep), candidates[0] if candidates else None)
        out.append(f"    ^ {describe(chosen)}" if chosen else "    ^ no line of the page has this text")
    return "\n".join(out)


def _short(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


# -- the pytest plugin -----------------------------------------------------------------


class GoldenChecker:
    """The ``cleaner_golden`` fixture: checks cases, or rewrites them with --update-golden."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.update = bool(config.getoption("update_golden"))

    def check(self, case: GoldenCase, plugin: Any = None) -> CaseOutcome:
        """Run ``case`` with the built-ins plus ``plugin``; fail the test with a report if
        it does not pass. With --update-golden a differing expected file is rewritten
        (the diff is shown at the end of the run) and only the snippet checks can fail."""
        try:
            outcome = run_case(case, plugin)
        except CleanerError as exc:  # a bad plugin or page: say so, without a traceback
            pytest.fail(f"golden case {case.name}: {exc}", pytrace=False)
        if self.update and not outcome.text_matches:
            _updates(self.config).append((case, outcome.diff() if outcome.expected is not None else outcome.text))
            case.expected.write_text(outcome.text, encoding="utf-8")
            outcome = CaseOutcome(case, outcome.result, outcome.text, outcome.failures)
        if not outcome.ok:
            pytest.fail(outcome.report(), pytrace=False)
        return outcome


_UPDATES = pytest.StashKey[list]()


def _updates(config: pytest.Config) -> list[tuple[GoldenCase, str]]:
    if _UPDATES not in config.stash:
        config.stash[_UPDATES] = []
    return config.stash[_UPDATES]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cleaner", "cleaner golden cases")
    group.addoption(
        UPDATE_OPTION,
        action="store_true",
        default=False,
        help="rewrite the expected text of the golden cases that differ, showing each diff",
    )


@pytest.fixture
def cleaner_golden(request: pytest.FixtureRequest) -> GoldenChecker:
    """Checks golden cases: ``cleaner_golden.check(case, plugin="mysite")``."""
    return GoldenChecker(request.config)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    updates = config.stash.get(_UPDATES, [])
    if not updates:
        return
    terminalreporter.section("cleaner: golden files updated")
    for case, diff in updates:
        terminalreporter.write_line(f"{case.expected}:")
        for line in diff.split("\n"):
            terminalreporter.write_line("  " + line)
