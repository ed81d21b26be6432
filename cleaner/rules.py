"""Site rules in TOML: a site plugin written without Python.

A rules file names a site and how to recognise its pages (domains, text fingerprints),
then lists its rules: lines to keep whatever a generic detector says, lines to drop,
blocks that run from a start marker line to an end marker (or the end of the page), and,
for HTML, the elements to prune before the main text is extracted. :func:`load_rules`
validates a file and returns a :class:`RulesPlugin`, registered like any other plugin
(:func:`cleaner.manager.build_manager`). docs/plugin-guide.md describes the format.

Patterns are RE2 (google-re2): a match takes time linear in the line's length whatever
the pattern, so no rules file can make cleaning slow with catastrophic backtracking.
"""

from __future__ import annotations

import difflib
import importlib.resources
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2

from cleaner.errors import ConfigError
from cleaner.markers import hookimpl
from cleaner.model import Block, Category, Document, Strength, Verdict

SUFFIX = ".toml"
# A site's name is its plugin name (for --disable) and the value of doc.site.
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+$")


# -- the format: every table and key, with what it means (docs/plugin-guide.md shows this) --


@dataclass(frozen=True)
class Key:
    """One key of a rules table: its TOML type, whether it must be given, what it does."""

    name: str
    type: str
    doc: str
    required: bool = False


_MATCHER = (
    Key("line", "string or list", "the whole line is exactly this, white space folded (or one of these)"),
    Key("prefix", "string or list", "the line starts with this"),
    Key("contains", "string or list", "the line contains this"),
    Key("pattern", "string or list", "an RE2 regular expression found in the line (anchor it with ^ and $)"),
)
_CATEGORY = Key("category", "string", "what the dropped lines are: " + ", ".join(c.value for c in Category), True)
_REASON = Key("reason", "string", "why, as `--explain` shows it (prefixed with the site's name)")

# table name -> (is an array of tables, keys). Exactly one matcher key per matcher table.
TABLES: Mapping[str, tuple[bool, tuple[Key, ...]]] = {
    "site": (
        False,
        (
            Key("name", "string", "the site's name: the plugin's name and `doc.site` (lower case, digits, - and _)", True),
            Key("domains", "list", "host names whose pages are this site's (subdomains and `www.` included)"),
        ),
    ),
    "fingerprint": (
        True,
        (
            *_MATCHER,
            Key("within", "integer", "look only at the first N (non-blank) lines of the page"),
        ),
    ),
    "keep": (True, (*_MATCHER, _REASON)),
    "drop": (True, (*_MATCHER, _CATEGORY, _REASON)),
    "block": (
        True,
        (
            Key(
                "start",
                "string, list or table",
                "the line that starts the block: an exact line (or list of them), "
                'or an inline table with one matcher key, e.g. `{ prefix = "Most read" }`',
                True,
            ),
            Key(
                "end",
                "string, list or table",
                "the line that ends it, as `start`; without it, or when it is not found, the block runs to the end of the page",
            ),
            Key("include_start", "boolean", "the start line is part of the block (default true)"),
            Key("include_end", "boolean", "the end line is part of the block (default false: it usually starts the next one)"),
            Key("lines", "integer", "the block is at most this many lines long"),
            _CATEGORY,
            _REASON,
        ),
    ),
    "prune": (
        True,
        (
            Key("css", "string", "a CSS selector of the elements to remove from the page's HTML"),
            Key("xpath", "string", "an XPath expression of the elements to remove"),
        ),
    ),
}
MATCHER_KEYS = tuple(k.name for k in _MATCHER)
_MATCHER_TABLES = ("fingerprint", "keep", "drop")


# -- the parsed rules ------------------------------------------------------------------


@dataclass(frozen=True)
class Matcher:
    """Which lines a rule applies to: exact lines, prefixes, substrings or RE2 patterns."""

    lines: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    patterns: tuple[Any, ...] = ()  # compiled re2 expressions
    label: str = ""  # how a default reason names it

    def matches(self, text: str) -> bool:
        return (
            text in self.lines
            or (bool(self.prefixes) and text.startswith(self.prefixes))
            or any(c in text for c in self.contains)
            or any(p.search(text) for p in self.patterns)
        )


@dataclass(frozen=True)
class Fingerprint:
    """A line that tells the site's pages apart; ``within``: only among the first N lines."""

    matcher: Matcher
    within: int | None = None

    def found(self, blocks: Sequence[Block]) -> bool:
        scope = blocks if self.within is None else blocks[: self.within]
        return any(self.matcher.matches(b.text) for b in scope)


@dataclass(frozen=True)
class LineRule:
    """Keep (category None) or drop the lines that match."""

    matcher: Matcher
    category: Category | None
    reason: str


@dataclass(frozen=True)
class BlockRule:
    """Drop the lines from a start marker to an end marker, or to the end of the page."""

    start: Matcher
    end: Matcher | None
    include_start: bool
    include_end: bool
    lines: int | None
    category: Category
    reason: str

    def spans(self, texts: Sequence[str]) -> Iterator[range]:
        """The blocks' line indexes, in order and without overlap."""
        n = len(texts)
        i = 0
        while i < n:
            if not self.start.matches(texts[i]):
                i += 1
                continue
            first = i if self.include_start else i + 1
            stop = n
            if self.end is not None:
                for j in range(i + 1, n):
                    if self.end.matches(texts[j]):
                        stop = j + 1 if self.include_end else j
                        break
            if self.lines is not None:
                stop = min(stop, first + self.lines)
            if first < stop:
                yield range(first, stop)
            i = max(stop, i + 1)


@dataclass(frozen=True)
class PruneRule:
    """HTML elements to remove before extraction, by CSS selector or XPath."""

    selector: str
    select: Any  # a compiled lxml XPath (CSSSelector is one)


class RulesPlugin:
    """A site plugin made from a rules file.

    It claims a page by its host (``domains``) or, failing that, when every fingerprint
    is found in the text; it judges only the pages claimed for its site. On a line, keep
    rules win over drop rules and drop rules over block rules; within each, the first
    rule in the file wins.

    :ivar name: the site's name (also the plugin's).
    :ivar source: where the rules came from, as ``clean plugins`` shows it.
    :ivar path: the file's path (or resource name), for messages.
    """

    def __init__(
        self,
        name: str,
        *,
        source: str,
        path: str,
        domains: Sequence[str] = (),
        fingerprints: Sequence[Fingerprint] = (),
        keep: Sequence[LineRule] = (),
        drop: Sequence[LineRule] = (),
        blocks: Sequence[BlockRule] = (),
        prune: Sequence[PruneRule] = (),
    ) -> None:
        self.name = name
        self.source = source
        self.path = path
        self.domains = tuple(domains)
        self.fingerprints = tuple(fingerprints)
        self.keep = tuple(keep)
        self.drop = tuple(drop)
        self.blocks = tuple(blocks)
        self.prune = tuple(prune)

    def __repr__(self) -> str:
        return f"<RulesPlugin {self.name!r} from {self.path}>"

    def owns_host(self, host: str | None) -> bool:
        if not host:
            return False
        return any(host == d or host.endswith("." + d) for d in self.domains)

    @hookimpl
    def cleaner_claim(self, doc: Document) -> str | None:
        if self.owns_host(doc.host):
            return self.name
        if self.fingerprints and doc.blocks and all(fp.found(doc.blocks) for fp in self.fingerprints):
            return self.name
        return None

    @hookimpl
    def cleaner_judge(self, doc: Document) -> list[Verdict] | None:
        if doc.site != self.name:
            return None
        verdicts: dict[int, Verdict] = {}
        for b in doc.blocks:
            for rule in self.keep + self.drop:
                if rule.matcher.matches(b.text):
                    verdicts[b.index] = _verdict(b.index, rule)
                    break
        texts = [b.text for b in doc.blocks]
        for block_rule in self.blocks:
            for span in block_rule.spans(texts):
                for i in span:
                    verdicts.setdefault(i, Verdict.drop(i, block_rule.category, block_rule.reason, Strength.RULE))
        return [verdicts[i] for i in sorted(verdicts)]


class PruningRulesPlugin(RulesPlugin):
    """A rules plugin with ``[[prune]]`` rules: it also prunes the HTML of its site's pages."""

    @hookimpl
    def cleaner_prune_html(self, tree: Any, url: str | None, site: str | None) -> None:
        if site != self.name:
            return
        import lxml.etree

        for rule in self.prune:
            for element in rule.select(tree):
                # an XPath may select text or attributes; only elements can be removed
                if lxml.etree.iselement(element) and element.getparent() is not None:
                    element.drop_tree()


def _verdict(index: int, rule: LineRule) -> Verdict:
    if rule.category is None:
        return Verdict.keeping(index, rule.reason, Strength.FORCE)
    return Verdict.drop(index, rule.category, rule.reason, Strength.RULE)


# -- loading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesResource:
    """A rules file shipped inside a Python package, for an entry point to name.

    The file is read only when a plugin manager registers it, never on import::

        # mypackage/__init__.py             pyproject.toml: [project.entry-points.cleaner]
        RULES = RulesResource(__name__, "mysite.toml")      mysite = "mypackage:RULES"
    """

    package: str
    filename: str

    def load(self, source: str | None = None) -> RulesPlugin:
        resource = importlib.resources.files(self.package).joinpath(self.filename)
        try:
            text = resource.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{self.package}/{self.filename}: cannot read the rules file: {exc}") from None
        return parse_rules(text, path=str(resource), source=source or f"rules in {self.package}")


def load_rules(path: str | os.PathLike[str], source: str | None = None) -> RulesPlugin:
    """Read and validate one rules file.

    :param path: the ``.toml`` file.
    :param source: where it came from, for ``clean plugins``; default ``rules file PATH``.
    :raises ConfigError: the file cannot be read or is invalid (the message names the
        file and the line).
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such rules file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the rules file: {exc}") from None
    return parse_rules(text, path=str(path), source=source or f"rules file {path}")


def rules_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The rules files in these folders (``*.toml``, sorted), or the files themselves.

    :raises ConfigError: a path does not exist.
    """
    found: list[Path] = []
    for entry in paths:
        if not str(entry):
            continue
        path = Path(entry)
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*" + SUFFIX) if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"rules folder {str(entry)!r} does not exist")
    return found


def parse_rules(text: str, *, path: str, source: str) -> RulesPlugin:
    """Validate the text of a rules file and build its plugin.

    :param text: the TOML.
    :param path: the file's name, for messages.
    :param source: where it came from, for ``clean plugins``.
    :raises ConfigError: ``PATH:LINE: what is wrong``.
    """
    loc = Locator(text, path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise loc.toml_error(exc) from None
    for table, value in data.items():
        if table not in TABLES:
            if isinstance(value, (dict, list)):
                raise loc.error((table,), f"unknown table {table!r}{did_you_mean(table, TABLES)}")
            raise loc.error((table,), f"unknown key {table!r} at the top of the file (keys go in a table: [site], [[drop]]...)")
        array, _keys = TABLES[table]
        if array and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            raise loc.error((table,), f"{table!r} is a list of tables: write [[{table}]]")
        if not array and not isinstance(value, dict):
            raise loc.error((table,), f"{table!r} is a table: write [{table}]")
    for table, value in data.items():
        for n, entry in enumerate(value if TABLES[table][0] else [value]):
            _check_keys(loc, table, n, entry)

    site = data.get("site")
    if site is None:
        raise loc.error((), "a rules file needs a [site] table with the site's name")
    name = site.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise loc.error(
            ("site", 0, "name"),
            f"the site's name must be lower case letters, digits, - or _, starting with a letter (got {name!r})",
        )
    domains = [_domain(loc, d) for d in _strings(loc, ("site", 0, "domains"), site.get("domains", []))]
    fingerprints = [
        Fingerprint(_matcher(loc, ("fingerprint", n), fp), _count(loc, ("fingerprint", n, "within"), fp.get("within")))
        for n, fp in enumerate(data.get("fingerprint", []))
    ]
    if not domains and not fingerprints:
        raise loc.error(("site", 0), f"site {name!r} is never claimed: give its domains or a [[fingerprint]]")
    keep = [
        LineRule(m, None, _reason(loc, ("keep", n), name, r, f"the line {m.label} is always kept"))
        for n, r in enumerate(data.get("keep", []))
        for m in [_matcher(loc, ("keep", n), r)]
    ]
    drop = [
        LineRule(m, _category(loc, ("drop", n), r), _reason(loc, ("drop", n), name, r, f"the line {m.label}"))
        for n, r in enumerate(data.get("drop", []))
        for m in [_matcher(loc, ("drop", n), r)]
    ]
    blocks = [_block(loc, n, r, name) for n, r in enumerate(data.get("block", []))]
    prune = [_prune(loc, n, r) for n, r in enumerate(data.get("prune", []))]
    cls = PruningRulesPlugin if prune else RulesPlugin
    return cls(
        name,
        source=source,
        path=path,
        domains=domains,
        fingerprints=fingerprints,
        keep=keep,
        drop=drop,
        blocks=blocks,
        prune=prune,
    )


# -- validating one table ----------------------------------------------------------------


def _check_keys(loc: Locator, table: str, n: int, entry: Mapping[str, Any]) -> None:
    valid = {k.name: k for k in TABLES[table][1]}
    for key in entry:
        if key not in valid:
            header = f"[[{table}]]" if TABLES[table][0] else f"[{table}]"
            raise loc.error((table, n, key), f"unknown key {key!r} in {header}{did_you_mean(key, valid)}")
    for spec in valid.values():
        if spec.required and spec.name not in entry:
            header = f"[[{table}]]" if TABLES[table][0] else f"[{table}]"
            raise loc.error((table, n), f"{header} needs {spec.name!r}")


def _matcher(loc: Locator, where: tuple[Any, ...], spec: Mapping[str, Any], what: str = "") -> Matcher:
    given = [k for k in MATCHER_KEYS if k in spec]
    if len(given) != 1:
        table = what or f"[[{where[0]}]]"
        problem = "needs" if not given else "takes only"
        raise loc.error(
            where, f"{table} {problem} one of {', '.join(MATCHER_KEYS)}" + (f" (got {', '.join(given)})" if given else "")
        )
    key = given[0]
    values = _strings(loc, (*where, key), spec[key])
    if not values or any(not v.strip() for v in values):
        raise loc.error((*where, key), f"{key!r} needs non-empty text")
    label = repr(values[0]) if len(values) == 1 else f"{values[0]!r}..."
    if key == "line":
        return Matcher(lines=frozenset(_fold(v) for v in values), label=label)
    if key == "prefix":
        return Matcher(prefixes=tuple(values), label=f"starting {label}")
    if key == "contains":
        return Matcher(contains=tuple(values), label=f"containing {label}")
    return Matcher(patterns=tuple(_compile(loc, (*where, key), v) for v in values), label=f"matching /{values[0]}/")


def compile_pattern(pattern: str) -> Any:
    """An RE2 expression (linear-time matching); ValueError says why it is invalid."""
    options = re2.Options()
    options.log_errors = False  # the error is raised; RE2 must not also print it
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        message = exc.args[0] if exc.args else str(exc)
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise ValueError(f"bad pattern {pattern!r}: {message} (patterns are RE2: no backreferences or lookaround)") from None


def _compile(loc: Locator, where: tuple[Any, ...], pattern: str) -> Any:
    try:
        return compile_pattern(pattern)
    except ValueError as exc:
        raise loc.error(where, str(exc)) from None


def _block(loc: Locator, n: int, spec: Mapping[str, Any], site: str) -> BlockRule:
    where = ("block", n)
    start = _marker(loc, (*where, "start"), spec["start"])
    end = _marker(loc, (*where, "end"), spec["end"]) if "end" in spec else None
    include_start = _bool(loc, (*where, "include_start"), spec.get("include_start", True))
    include_end = _bool(loc, (*where, "include_end"), spec.get("include_end", False))
    lines = _count(loc, (*where, "lines"), spec.get("lines"))
    category = _category(loc, where, spec)
    default = f"the block from {start.label}" + (f" to {end.label}" if end is not None else "")
    return BlockRule(start, end, include_start, include_end, lines, category, _reason(loc, where, site, spec, default))


def _marker(loc: Locator, where: tuple[Any, ...], value: Any) -> Matcher:
    if isinstance(value, dict):
        for key in value:
            if key not in MATCHER_KEYS:
                raise loc.error(where, f"unknown key {key!r} in {where[-1]!r}{did_you_mean(key, MATCHER_KEYS)}")
        return _matcher(loc, where[:-1], value, what=f"{where[-1]!r}")
    lines = _strings(loc, where, value)
    if not lines or any(not v.strip() for v in lines):
        raise loc.error(where, f"{where[-1]!r} needs non-empty text")
    return Matcher(lines=frozenset(_fold(v) for v in lines), label=repr(lines[0]) if len(lines) == 1 else f"{lines[0]!r}...")


def _fold(line: str) -> str:
    """A whole line as the judges see a block's text: white space folded, stripped."""
    return " ".join(line.split())


def _prune(loc: Locator, n: int, spec: Mapping[str, Any]) -> PruneRule:
    where = ("prune", n)
    given = [k for k in ("css", "xpath") if k in spec]
    if len(given) != 1:
        raise loc.error(where, "[[prune]] needs one of css, xpath")
    key = given[0]
    selector = spec[key]
    if not isinstance(selector, str) or not selector.strip():
        raise loc.error((*where, key), f"{key!r} needs a non-empty string")
    import lxml.etree

    try:
        if key == "css":
            from lxml.cssselect import CSSSelector, SelectorError

            try:
                return PruneRule(selector, CSSSelector(selector, translator="html"))
            except SelectorError as exc:
                raise loc.error((*where, key), f"bad CSS selector {selector!r}: {exc}") from None
        return PruneRule(selector, lxml.etree.XPath(selector))
    except lxml.etree.XPathSyntaxError as exc:
        raise loc.error((*where, key), f"bad XPath {selector!r}: {exc}") from None


def _category(loc: Locator, where: tuple[Any, ...], spec: Mapping[str, Any]) -> Category:
    value = spec.get("category")
    try:
        if not isinstance(value, str):
            raise ValueError(f"category must be a string, not {value!r}")
        return Category.parse(value)
    except ValueError as exc:
        raise loc.error((*where, "category"), str(exc)) from None


def _reason(loc: Locator, where: tuple[Any, ...], site: str, spec: Mapping[str, Any], default: str) -> str:
    reason = spec.get("reason", default)
    if not isinstance(reason, str) or not reason.strip():
        raise loc.error((*where, "reason"), "'reason' must be a non-empty string")
    return f"{site}: {reason.strip()}"


def _strings(loc: Locator, where: tuple[Any, ...], value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise loc.error(where, f"{where[-1]!r} must be a string or a list of strings")
    return values


def _bool(loc: Locator, where: tuple[Any, ...], value: Any) -> bool:
    if not isinstance(value, bool):
        raise loc.error(where, f"{where[-1]!r} must be true or false")
    return value


def _count(loc: Locator, where: tuple[Any, ...], value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise loc.error(where, f"{where[-1]!r} must be a whole number of lines, at least 1")
    return value


def _domain(loc: Locator, value: str) -> str:
    host = value.strip().lower().removeprefix("www.")
    if not _HOST.match(host):
        raise loc.error(("site", 0, "domains"), f"{value!r} is not a host name (write it as example.com, no scheme or path)")
    return host


def did_you_mean(word: str, valid: Iterable[str]) -> str:
    valid = list(valid)
    close = difflib.get_close_matches(word, valid, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f" (valid: {', '.join(valid)}){hint}"


# -- where in the file -----------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")


class Locator:
    """Finds the line of a table or key in a rules file, for error messages.

    tomllib keeps no positions, so this reads the lines: a table by its header (the
    n-th ``[[drop]]``), a key by the first ``key =`` line after that header.
    """

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []  # (0-based line, table name)
        for i, line in enumerate(self.lines):
            m = _HEADER.match(line)
            if m:
                self.headers.append((i, m.group(2).strip("\"' ")))

    def line_of(self, where: Sequence[Any]) -> int | None:
        """The 1-based line of ``(table, n, key)`` (any suffix may be left out), or None."""
        if not where:
            return None
        table = where[0]
        n = where[1] if len(where) > 1 else 0
        key = where[2] if len(where) > 2 else None
        spans = self._spans(table)
        if not spans and len(where) == 1:  # a key at the top of the file
            return self._key_line(0, self._first_header(), table)
        if n >= len(spans):
            return self._key_line(0, self._first_header(), key) if key else None
        first, stop = spans[n]
        if key is None:
            return first + 1
        return self._key_line(first + 1, stop, key) or first + 1

    def error(self, where: Sequence[Any], message: str) -> ConfigError:
        line = self.line_of(where)
        return ConfigError(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def toml_error(self, exc: tomllib.TOMLDecodeError) -> ConfigError:
        m = re.match(r"(.*) \(at line (\d+), column (\d+)\)$", str(exc))
        if m:
            return ConfigError(f"{self.path}:{m.group(2)}: invalid TOML: {m.group(1)} (column {m.group(3)})")
        m = re.match(r"(.*) \(at end of document\)$", str(exc))
        if m:
            return ConfigError(f"{self.path}:{len(self.lines)}: invalid TOML: {m.group(1)} (at the end)")
        return ConfigError(f"{self.path}: invalid TOML: {exc}")

    def _spans(self, table: str) -> list[tuple[int, int]]:
        spans = []
        for k, (i, name) in enumerate(self.headers):
            if name == table:
                stop = self.headers[k + 1][0] if k + 1 < len(self.headers) else len(self.lines)
                spans.append((i, stop))
        return spans

    def _first_header(self) -> int:
        return self.headers[0][0] if self.headers else len(self.lines)

    def _key_line(self, start: int, stop: int, key: str) -> int | None:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start, stop):
            if pattern.match(self.lines[i]):
                return i + 1
        return None
