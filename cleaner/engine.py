"""The engine: runs the stages of :mod:`cleaner.hookspecs` in a fixed order.

It knows stages, not rules. Read :meth:`Cleaner.clean` top to bottom for the algorithm:
decode, sniff, (HTML: prune and extract), normalise, segment, claim, judge, decide,
revise, pick the headline, gather metadata, assemble.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from cleaner import extraction, htmlparse, timelimit, verdicts
from cleaner.errors import CleanerError, ConfigError, InputError, PluginError
from cleaner.logs import DecisionLog
from cleaner.manager import build_manager
from cleaner.model import Block, Category, Decision, Document, Evidence, ExtractOptions, Kind, Result, Role, Verdict, plain
from cleaner.templates import SiteTemplate, Templates, html_lines, site_of, text_lines

_Impl = tuple[str, Callable[..., Any], tuple[str, ...]]
# A page for Cleaner.clean_many: its content, or its content and its URL.
PageInput = str | bytes | tuple[str | bytes, str | None]


class _Pass(NamedTuple):
    """What one pass over a text decided."""

    doc: Document
    decisions: tuple[Decision, ...]
    title_index: int | None
    claimant: str | None
    titled: bool = True


# At most this many passes over a page (see Cleaner._settle); two settle almost every page.
MAX_PASSES = 4
# ... and with a weigher (the learned judge), which can erode a page a line a pass (the
# last line of a short page reads as its footer), this many: each pass removes a line or
# ends the loop, so a page of fewer lines is settled exactly.
WEIGHED_MAX_PASSES = 64

# A page of more lines than this is judged a window of this many lines at a time (see
# Cleaner._clean_windows), so that memory is bounded by the window, not by the page. Far
# above any article (the longest development page has some 5,000 lines, blank ones
# included); a page this long is a dump, a log or a listing.
WINDOW_LINES = 10_000

# The line breaks str.splitlines() knows.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


class Cleaner:
    """A configured cleaning engine: build it once, clean many pages with it.

    :param keep: categories to keep in the text although a plugin drops them
        (e.g. ``{"caption", "byline"}``).
    :param disable: names of plugins not to use.
    :param plugins: extra plugin objects to register (modules, classes or instances with
        ``@hookimpl`` functions), e.g. a site plugin under development.
    :param autoload: load installed third-party plugins; None means "unless the
        environment variable CLEANER_DISABLE_PLUGIN_AUTOLOAD is set".
    :param builtins: use the built-in plugins (turn off only to test fake plugins alone).
    :param rules: folders of site rules files (``*.toml``), or rules files, to load as
        plugins (docs/plugin-guide.md); with autoload, CLEANER_RULES adds more folders.
    :param time_limit: seconds one page may take; a slower page raises
        :class:`PageTimeout`, naming the plugin and stage that ran out of time. On the
        main thread (Linux, macOS) a timer stops even a plugin that hangs; elsewhere the
        time is checked after each plugin call (see :mod:`cleaner.timelimit`). None
        means no limit.
    :param enable: built-in plugins that are off by default to use all the same
        (``{"judge"}``: the learned judge, an experiment whose cross-validated figures are
        not yet above the rules' on every set).
    :param templates: site templates (:class:`cleaner.templates.Templates`, or the path
        of a file ``clean learn-templates`` wrote): each page gets its site's (by the URL's
        host, else its file's folder), and the ``templates`` plugin drops the lines on
        many of the site's pages. None: no templates.
    :param links: HTML pages: the Markdown output (``Result.markdown``) shows the lines'
        links, ``[text](href)``.
    :param images: HTML pages: the Markdown output shows the images in and between the
        lines, ``![alt](src)``.

    A Cleaner may be shared across threads: cleaning a page keeps no state on the Cleaner
    (the options and the plugins' hook table are set once, here; the time limit's deadline
    is per thread), and the built-in plugins keep none between pages (the judge's model is
    read once and only read after). A third-party plugin that keeps state of its own must
    say whether it may. Use it as a context manager (``with Cleaner() as cleaner:``) to
    :meth:`close` it at the end; :meth:`clean_many` cleans pages in worker processes.
    """

    def __init__(
        self,
        *,
        keep: Iterable[str | Category] = (),
        disable: Iterable[str] = (),
        plugins: Sequence[Any] = (),
        autoload: bool | None = None,
        builtins: bool = True,
        rules: Sequence[str | os.PathLike[str]] = (),
        time_limit: float | None = None,
        enable: Iterable[str] = (),
        templates: Templates | str | os.PathLike[str] | None = None,
        links: bool = False,
        images: bool = False,
    ) -> None:
        try:
            self.keep = frozenset(c if isinstance(c, Category) else Category.parse(c) for c in keep)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        self.time_limit = timelimit.valid_limit(time_limit)
        disable = tuple(disable)
        # what a worker process of clean_many builds its own Cleaner with
        self._options: dict[str, Any] = {
            "keep": self.keep,
            "disable": disable,
            "plugins": tuple(plugins),
            "autoload": autoload,
            "builtins": builtins,
            "rules": tuple(rules),
            "time_limit": time_limit,
            "enable": tuple(enable),
            "templates": templates,
            "links": links,
            "images": images,
        }
        self.extract_options = ExtractOptions(links=bool(links), images=bool(images))
        if templates is not None and not isinstance(templates, Templates):
            templates = Templates.load(templates)
        self.templates: Templates | None = templates
        self._pm, self.plugins = build_manager(
            disable=disable, plugins=plugins, autoload=autoload, builtins=builtins, rules=rules, enable=enable
        )
        self._impls: dict[str, tuple[_Impl, ...]] = {}
        for name in self._pm.hook.__dict__:
            if name.startswith("cleaner_"):
                caller = getattr(self._pm.hook, name)
                # pluggy calls the last registered first; keep its order
                self._impls[name] = tuple(
                    (impl.plugin_name, impl.function, tuple(impl.argnames)) for impl in reversed(caller.get_hookimpls())
                )

    # -- public API ------------------------------------------------------------------

    def plugin(self, name: str) -> Any:
        """The registered plugin object called ``name``, or None."""
        return self._pm.get_plugin(name)

    def __enter__(self) -> Cleaner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def clean_many(self, pages: Iterable[PageInput], *, processes: int | None = None) -> Iterator[Result]:
        """Clean pages, yielding their results in the order of ``pages``.

        :param pages: each page's content (str or bytes), or a pair (content, url).
        :param processes: None or 1: clean here, one page after the other. More: in that
            many worker processes, each with a Cleaner built with this one's options
            (plugin objects given to this one must then pickle, unless the workers are
            forked, as on Linux); the results are those of one process. Pages are handed
            out a few at a time, so ``pages`` may be a long iterator.
        :raises CleanerError: as :meth:`clean` does, for the first page that fails
            (the pages after it are not cleaned).
        """
        if processes is not None and (isinstance(processes, bool) or not isinstance(processes, int) or processes < 1):
            raise ConfigError(f"processes must be a whole number from 1, not {processes!r}")
        if processes is None or processes == 1:
            return (self.clean(content, url=url) for content, url in map(_page, pages))
        return _clean_in_processes(self._options, pages, processes)

    @timelimit.limited
    def clean(
        self,
        content: str | bytes,
        *,
        url: str | None = None,
        kind: str | Kind | None = None,
        filename: str | None = None,
    ) -> Result:
        """Clean one page.

        :param content: the page's text or HTML, as str or as bytes (decoded here).
        :param url: the page's URL, when known: it helps a site plugin claim the page.
        :param kind: ``"text"``, ``"html"``, or None to sniff it from the content.
        :param filename: the name the content came from, a hint for sniffing.
        :raises InputError: the content is not text.
        :raises PluginError: a plugin failed (it is named, with the stage).
        :raises PageTimeout: the page took longer than ``time_limit``.
        """
        text, kind = self._read(content, kind, filename)

        notes: list[str] = []
        metadata_in: dict[str, Any] = {}
        roles: tuple[Role | None, ...] = ()
        html = None
        template = self.templates.site(site_of(url, filename)) if self.templates else None
        if kind is Kind.HTML:
            html = text
            text, metadata_in, kind, roles = extraction.html_to_text(self, html, url, notes)
        self._check_time("segment")

        if _line_breaks(text) >= WINDOW_LINES:
            windows = iter(_windows(text))
            head = next(windows)
            if len(head[1]) < len(text):
                windows = itertools.chain([head], windows)
                return self._clean_windows(windows, kind, url, html, metadata_in, tuple(notes), template, roles)
        first = self._judge_text(text, kind, url, html, metadata_in, template=template, roles=roles)
        doc = first.doc
        decisions, title_index = self._settle(first)
        metadata = self._metadata(doc, decisions, metadata_in)
        return _assemble(doc, decisions, title_index, metadata, tuple(notes))

    def _clean_windows(
        self,
        windows: Iterable[tuple[int, str]],
        kind: Kind,
        url: str | None,
        html: str | None,
        metadata_in: Mapping[str, Any],
        notes: tuple[str, ...],
        template: SiteTemplate | None,
        roles: Sequence[Role | None] = (),
    ) -> Result:
        """Clean a very long page a window of WINDOW_LINES lines at a time.

        Each window is judged and settled as a page of its own, with the first window's
        site claim; its decisions are filed in a :class:`DecisionLog` and its objects
        freed, so memory is bounded by the window and the log (a few bytes a line beside
        the text), not by the page. The headline and the metadata come from the first
        window; a line repeated only in another window is not seen as repeated.
        """
        log = DecisionLog()
        doc: Document | None = None
        metadata: dict[str, Any] = {}
        claimed: tuple[str | None, str | None] | None = None
        title_index = None
        for line_offset, window in windows:
            window_roles = roles[line_offset:]
            judged = self._judge_text(
                window, kind, url, html, metadata_in, claimed, titled=doc is None, template=template, roles=window_roles
            )
            first_window = doc is None
            if first_window:
                doc, claimed = judged.doc, (judged.claimant, judged.doc.site)
            decisions, title = self._settle(judged)
            if first_window:
                metadata = self._metadata(judged.doc, decisions, metadata_in)
            if len(log) == 0 and title is not None:
                title_index = title
            log.add(decisions, line_offset)
        assert doc is not None
        return _assemble_log(log, title_index, doc.kind, metadata, notes)

    def _judge_text(
        self,
        text: str,
        kind: Kind,
        url: str | None,
        html: str | None,
        metadata_in: Mapping[str, Any],
        claimed: tuple[str | None, str | None] | None = None,
        titled: bool = True,
        template: SiteTemplate | None = None,
        roles: Sequence[Role | None] = (),
    ) -> _Pass:
        """One pass over a text: normalise, segment, claim, judge, decide, revise, pick the headline.

        ``claimed`` (claiming plugin, site) skips the claim: later passes keep the first's.
        ``titled`` False: no headline is picked (a later window of a long page).
        ``template``: the page's site template (``Document.template``).
        ``roles``: the structure of the text's lines (from the HTML extractor), put on the blocks.
        """
        raw = "\n".join(text.splitlines())
        normalizer, normalized = self._first_named("cleaner_normalize", text=raw)
        if normalized is None:
            normalized = raw
        elif normalized.count("\n") != raw.count("\n"):
            raise PluginError(normalizer or "?", "cleaner_normalize", "changed the number of lines")
        blocks = self._first("cleaner_segment", raw=raw, normalized=normalized)
        if blocks is None:
            raise ConfigError("no plugin segments the text (is the built-in 'segment' plugin installed?)")
        if roles:
            blocks = extraction.with_roles(blocks, roles)
        doc = Document(tuple(blocks), kind, url, None, html, metadata_in, template)
        claimant, site = claimed if claimed is not None else self._claim(doc)
        if site:
            doc = doc.with_site(site)
        self._check_time("judge")

        judged = self._collect("cleaner_judge", doc, doc=doc)
        decisions = verdicts.decide(doc.blocks, judged, claimant)
        self._check_time("revise")
        revisions = self._collect("cleaner_revise", doc, doc=doc, decisions=decisions)
        decisions = verdicts.revise(decisions, revisions)
        if self._impls.get("cleaner_weigh"):
            self._check_time("weigh")
            evidence = Evidence(tuple(judged), tuple(revisions), claimant)
            weighed = self._collect("cleaner_weigh", doc, doc=doc, decisions=decisions, evidence=evidence)
            decisions = verdicts.weigh(decisions, weighed, claimant)
        if self.keep:
            decisions = verdicts.keep_requested(decisions, self.keep)
        self._check_time("assemble")
        title = self._first("cleaner_title", doc=doc, decisions=decisions) if titled else None
        return _Pass(doc, decisions, title, claimant, titled)

    def _claim(self, doc: Document) -> tuple[str | None, str | None]:
        """The plugin that claims the page and its site. A claim by URL outranks a claim by
        fingerprint: the plugins are first asked with the URL alone (a page without
        blocks, which no fingerprint can match), then, if none claimed it, with the page."""
        if doc.url:
            by_url = self._first_named("cleaner_claim", doc=Document((), doc.kind, doc.url, None, doc.html, doc.metadata))
            if by_url[1] is not None:
                return by_url
        return self._first_named("cleaner_claim", doc=doc)

    def _settle(self, first: _Pass) -> tuple[tuple[Decision, ...], int | None]:
        """Clean the result again until nothing changes, so cleaning cleaned text changes nothing.

        Context decides some lines by their neighbours, and a pass removes neighbours; the
        next pass over the text a user would get back (with the same URL) may then judge
        differently. Each pass only removes lines, so this ends; MAX_PASSES bounds it
        (WEIGHED_MAX_PASSES with a weigher).
        The page stays claimed by the first pass's site plugin, whose rules (must-keep
        lines among them) hold in every pass, even once its fingerprint is cleaned away.
        An extractor's main text (html kind) is judged once: judged again as page text,
        the context rules would undo the extractor's choice (and the pass costs as much).
        """
        doc, decisions, title_index = first.doc, first.decisions, first.title_index
        if doc.kind is Kind.HTML:
            return decisions, title_index
        claimed, titled = (first.claimant, doc.site), first.titled
        passes = WEIGHED_MAX_PASSES if self._impls.get("cleaner_weigh") else MAX_PASSES
        for _ in range(passes - 1):
            order = _output_order(decisions, title_index)
            if not order:
                break
            text = _text(decisions, title_index)
            again = self._judge_text(text, Kind.TEXT, doc.url, None, {}, claimed, titled, doc.template)
            again_decisions, again_title = again.decisions, again.title_index
            # the output's non-blank lines are, in order, the blocks of `order`
            origin = [decisions[i] for i in order]
            again_title_origin = origin[again_title].block.index if again_title is not None else None
            changed = [d for d in again_decisions if not d.keep]
            if not changed and again_title_origin == title_index:
                break
            settled = list(decisions)
            for d in changed:
                was = origin[d.block.index]
                v = d.verdict
                assert v is not None and v.category is not None
                revised = Verdict(was.block.index, v.category, f"{v.reason} (once the page was cleaned)", v.strength, v.plugin)
                settled[was.block.index] = Decision(was.block, revised, was.first)
            decisions, title_index = tuple(settled), again_title_origin
        return decisions, title_index

    def template_lines(
        self, content: str | bytes, *, url: str | None = None, kind: str | Kind | None = None, filename: str | None = None
    ) -> tuple[str | None, list[str]]:
        """What a page gives the first pass of site templates: its site
        (:func:`cleaner.templates.site_of`) and its lines (a text page's lines; an HTML
        page's block-level elements' text, without extracting it: cheap). Decoded and
        sniffed as :meth:`clean` does; :class:`InputError` for content that is not text."""
        site = site_of(url, filename)
        if site is None:
            return None, []
        text, kind = self._read(content, kind, filename)
        if kind is Kind.HTML:
            tree = htmlparse.parse(text)
            return site, html_lines(tree) if tree is not None else []
        return site, text_lines(text)

    def close(self) -> None:
        """Unregister the plugins (a Cleaner holds no other resource)."""
        for plugin in list(self._pm.get_plugins()):
            self._pm.unregister(plugin)

    # -- stages ----------------------------------------------------------------------

    def _read(self, content: str | bytes, kind: str | Kind | None, filename: str | None) -> tuple[str, Kind]:
        """The content as text, decoded if bytes, and its kind, sniffed if not given."""
        if isinstance(content, (bytes, bytearray, memoryview)):
            text = self._decode(bytes(content))
        elif isinstance(content, str):
            text = content
        else:
            raise InputError(f"cannot clean a {type(content).__name__}; give str or bytes")
        if kind is None:
            kind = self._first("cleaner_sniff", content=text, filename=filename) or Kind.TEXT
        try:
            return text, Kind(kind)
        except ValueError:
            raise ConfigError(f"unknown kind {kind!r} (valid: text, html)") from None

    def _decode(self, data: bytes) -> str:
        text = self._first("cleaner_decode", data=data)
        if text is None:
            raise InputError("cannot tell the encoding of the content")
        return text

    def _metadata(self, doc: Document, decisions: Sequence[Decision], metadata_in: Mapping[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = dict(metadata_in)
        for _plugin, part in self._each("cleaner_metadata", doc=doc, decisions=decisions):
            if part:
                for key, value in part.items():
                    if merged.get(key) in (None, "", [], ()):
                        merged[key] = value
        if doc.site and not merged.get("site"):
            merged["site"] = doc.site
        if doc.url:
            merged.setdefault("url", doc.url)
        return merged

    # -- calling hooks ---------------------------------------------------------------

    def _each(self, hook: str, **kwargs: Any) -> Iterable[tuple[str, Any]]:
        """Call every implementation of ``hook`` in pluggy's order, naming a failing one."""
        deadline = timelimit.current()
        for plugin, function, argnames in self._impls.get(hook, ()):
            if deadline is not None:
                deadline.where = (plugin, hook)
            try:
                result = function(*[kwargs[a] for a in argnames])
            except CleanerError:
                raise
            except RecursionError as exc:
                raise PluginError(plugin, hook, f"RecursionError: {exc}") from exc
            except Exception as exc:
                raise PluginError(plugin, hook, f"{type(exc).__name__}: {exc}") from exc
            if deadline is not None:
                deadline.check()
            yield plugin, result
            if deadline is not None:  # a generator plugin works while its verdicts are read
                deadline.check()
                deadline.where = (None, f"after {hook}")

    def _first(self, hook: str, **kwargs: Any) -> Any:
        return self._first_named(hook, **kwargs)[1]

    def _first_named(self, hook: str, **kwargs: Any) -> tuple[str | None, Any]:
        """The first non-None result of ``hook``, and the plugin that gave it."""
        for plugin, result in self._each(hook, **kwargs):
            if result is not None:
                return plugin, result
        return None, None

    def _collect(self, hook: str, page: Document | None, **kwargs: Any) -> list[tuple[str, Verdict]]:
        """Every verdict the implementations return, each with the plugin that gave it
        (stamped on the verdicts that win, by :func:`cleaner.verdicts.stamped`)."""
        out: list[tuple[str, Verdict]] = []
        n = len(page.blocks) if page is not None else 0
        for plugin, result in self._each(hook, **kwargs):
            if result is None or page is None:
                continue
            if not isinstance(result, Iterable):
                raise PluginError(plugin, hook, f"returned {type(result).__name__}, not verdicts")
            try:
                items = list(result)
            except CleanerError:
                raise
            except Exception as exc:  # a generator plugin fails while it yields
                raise PluginError(plugin, hook, f"{type(exc).__name__}: {exc}") from exc
            for v in items:
                if type(v) is not Verdict and not isinstance(v, Verdict):
                    raise PluginError(plugin, hook, f"returned {type(v).__name__}, not a Verdict")
                if not (0 <= v.index < n):
                    raise PluginError(plugin, hook, f"verdict on block {v.index}, but the page has {n} blocks")
                if v.category is not None and type(v.category) is not Category:
                    raise PluginError(plugin, hook, f"unknown category {v.category!r}")
                out.append((plugin, v))
        return out

    def _check_time(self, stage: str) -> None:
        deadline = timelimit.current()
        if deadline is not None:
            deadline.where = (None, f"before {stage}")
            deadline.check()


def _assemble(
    doc: Document,
    decisions: tuple[Decision, ...],
    title_index: int | None,
    metadata: dict[str, Any],
    notes: tuple[str, ...],
) -> Result:
    """Join the kept blocks: adjacent input lines stay adjacent, others get a blank line."""
    kept = [d.block for d in decisions if d.keep]
    title_block = None
    if title_index is not None and 0 <= title_index < len(decisions) and decisions[title_index].keep:
        title_block = decisions[title_index].block
    body_blocks = [b for b in kept if b is not title_block]
    body = _join(body_blocks)
    title = title_block.text if title_block is not None else None
    text = _headed(title, body)
    removed = tuple(r for r in map(Decision.removal, decisions) if r is not None)
    return Result(
        text,
        title,
        body,
        removed,
        MappingProxyType(plain(metadata)),
        decisions,
        doc.kind,
        notes,
        title_block.index if title_block is not None else None,
    )


def _assemble_log(
    log: DecisionLog, title_index: int | None, kind: Kind, metadata: dict[str, Any], notes: tuple[str, ...]
) -> Result:
    """What :func:`_assemble` gives, for a page whose decisions are in a log (read once, in order)."""
    title = log[title_index].block.text if title_index is not None and log[title_index].keep else None
    body = _join(d.block for d in log if d.keep and d.block.index != title_index)
    return Result(
        _headed(title, body),
        title,
        body,
        log.removed,
        MappingProxyType(plain(metadata)),
        log,
        kind,
        notes,
        title_index if title is not None else None,
    )


def _line_breaks(text: str) -> int:
    """At least the number of line breaks in ``text`` (a CR LF counts twice), quickly."""
    if len(text) < WINDOW_LINES:
        return len(text)
    return sum(text.count(c) for c in _BREAKS)


@functools.lru_cache(maxsize=4)
def _window_pattern(size: int) -> re.Pattern[str]:
    """Matches up to ``size`` whole lines, each with its line break."""
    return re.compile(f"(?:[^{_BREAKS}]*(?:\r\n|[{_BREAKS}])){{1,{size}}}")


def _windows(text: str) -> Iterable[tuple[int, str]]:
    """``text`` in windows of WINDOW_LINES lines (the last holds the rest), each with the
    number of lines before it."""
    size = WINDOW_LINES
    pattern = _window_pattern(size)
    pos = lines = 0
    while True:
        match = pattern.match(text, pos)
        if match is None or match.end() == len(text):
            yield lines, text[pos:]
            return
        window = text[pos : match.end()]
        count = len(window.splitlines())
        if count < size:  # what follows is one last line without a break
            yield lines, text[pos:]
            return
        yield lines, window
        pos, lines = match.end(), lines + count


def _headed(title: str | None, body: str) -> str:
    """The text a user reads: the headline, a blank line, the body."""
    if title is None:
        return body
    return f"{title}\n\n{body}" if body else title


def _text(decisions: tuple[Decision, ...], title_index: int | None) -> str:
    """What :func:`_assemble` gives as ``text``, without building the rest of the result."""
    title = None
    if title_index is not None and 0 <= title_index < len(decisions) and decisions[title_index].keep:
        title = decisions[title_index].block
    return _headed(title.text if title else None, _join([d.block for d in decisions if d.keep and d.block is not title]))


def _output_order(decisions: Sequence[Decision], title_index: int | None) -> list[int]:
    """The kept blocks' indexes in the order the text shows them: headline first."""
    kept = [d.block.index for d in decisions if d.keep]
    if title_index is not None and title_index in kept:
        kept.remove(title_index)
        kept.insert(0, title_index)
    return kept


def _join(blocks: Iterable[Block]) -> str:
    pieces: list[str] = []  # joined a few thousand lines at a time: a long page's lines are many small strings
    parts: list[str] = []
    prev: Block | None = None
    for b in blocks:
        if prev is not None:
            parts.append("\n" if b.lineno == prev.lineno + 1 else "\n\n")
        parts.append(b.text)
        prev = b
        if len(parts) > 4096:
            pieces.append("".join(parts))
            parts.clear()
    pieces.append("".join(parts))
    return "".join(pieces)


def _page(page: PageInput) -> tuple[str | bytes, str | None]:
    """A page of clean_many as (content, url)."""
    if isinstance(page, tuple):
        if len(page) != 2:
            raise InputError(f"a page is its content or a pair (content, url), not a tuple of {len(page)}")
        return page[0], page[1]
    return page, None


# How many pages each worker of clean_many may have waiting.
PAGES_AHEAD = 4

_worker: Cleaner | None = None


def _start_worker(options: Mapping[str, Any]) -> None:
    global _worker
    _worker = Cleaner(**options)


def _clean_in_worker(page: PageInput) -> tuple[bool, Any]:
    """(True, result), or (False, the error's class, args and attributes): an error whose
    class takes other arguments than its message (PluginError) would not unpickle."""
    assert _worker is not None
    try:
        content, url = _page(page)
        return True, _worker.clean(content, url=url)
    except Exception as exc:
        return False, (type(exc), exc.args, vars(exc))


def _raised(error: tuple[type[BaseException], tuple[Any, ...], dict[str, Any]]) -> BaseException:
    cls, args, attrs = error
    exc = cls.__new__(cls)
    exc.args = args
    vars(exc).update(attrs)
    return exc


def _clean_in_processes(options: Mapping[str, Any], pages: Iterable[PageInput], processes: int) -> Iterator[Result]:
    """clean_many in ``processes`` worker processes, PAGES_AHEAD pages a worker at most in flight."""
    from concurrent.futures import Future, ProcessPoolExecutor

    from cleaner.batch.pool import _mp_context  # fork where safe, else a fork server, else spawn

    pool = ProcessPoolExecutor(processes, mp_context=_mp_context(), initializer=_start_worker, initargs=(options,))
    waiting: deque[Future[tuple[bool, Any]]] = deque()
    try:
        for page in pages:
            waiting.append(pool.submit(_clean_in_worker, page))
            if len(waiting) >= processes * PAGES_AHEAD:
                yield _outcome(waiting.popleft())
        while waiting:
            yield _outcome(waiting.popleft())
    finally:
        for future in waiting:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(future: Any) -> Result:
    ok, value = future.result()
    if not ok:
        raise _raised(value)
    result: Result = value
    return result


# The shared Cleaners of clean(), by (links, images).
_defaults: dict[tuple[bool, bool], Cleaner] = {}


def clean(
    content: str | bytes,
    *,
    url: str | None = None,
    kind: str | Kind | None = None,
    links: bool = False,
    images: bool = False,
) -> Result:
    """Clean one page with the default configuration (a shared :class:`Cleaner`).

    ``links`` and ``images`` are the Cleaner's options of those names (the Markdown of an
    HTML page shows them). For other options (categories to keep, plugins to disable)
    build a :class:`Cleaner`.
    """
    key = (bool(links), bool(images))
    if key not in _defaults:
        _defaults[key] = Cleaner(links=key[0], images=key[1])
    return _defaults[key].clean(content, url=url, kind=kind)
