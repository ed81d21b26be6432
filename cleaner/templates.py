"""Site templates: a site's own boilerplate, learned from its other pages.

A site's menus, footers, "most read" boxes and legal lines recur on its pages; each
article's text does not. A first pass over a batch gathers, per site (the URL's host, or
for a page without a URL its folder), on how many of its pages each line occurs; the
cleaning pass then hands each page its site's counts (``Document.template``) and the
``templates`` plugin drops the lines on many of them.

* **Lines** are compared by a key: the line case-folded, invisible characters removed,
  runs of white space folded and runs of digits read as one digit ("© 2024" and "© 2025",
  "12 comments" and "3 comments" are one line), hashed to 64 bits (:func:`line_keys`).
* **Bounded memory.** Per site, the learner keeps a sample of at most
  :data:`SAMPLE_PAGES` distinct pages, those whose content hash is smallest (a bottom-k
  sample), each as its distinct lines' keys (8 bytes a line, some 1-2 kB a page): it
  does not depend on the order the pages come in, so learners of parts of a batch merge
  (:meth:`TemplateLearner.merge`, the Dask reduction) into what one learner of the whole
  batch holds. Identical pages (the same page at two URLs) count once.
* **The file** (:meth:`Templates.save`, ``clean learn-templates``) holds, per site of
  :data:`MIN_SITE_PAGES` pages or more, the sample's page count and the :data:`MAX_LINES`
  most frequent lines on two or more of its pages, as hashed keys with counts: no text of
  the pages. It is versioned and validated
  when loaded (:meth:`Templates.load`).
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from cleaner.errors import ConfigError

__all__ = ["SiteTemplate", "TemplateLearner", "Templates", "line_keys", "site_of"]

FORMAT = "cleaner-templates"
VERSION = 1
# Per site, the learner keeps at most this many pages (the bottom-k sample): enough to
# tell a line on 40% of the pages from one on 50%, and a bound on memory per site.
SAMPLE_PAGES = 256
# Per site, a templates file keeps at most this many lines, the most frequent.
MAX_LINES = 4096
# A line on fewer of a site's pages than this is not kept (it cannot be a template).
MIN_LINE_PAGES = 2
# A site needs this many pages before it has a template (on 3 pages, a line must be on all
# three: the plugin's MIN_PAGES); two cannot tell a template from a coincidence, and the
# templates plugin changes nothing on a smaller site's pages. Measured: BENCHMARKS.md.
MIN_SITE_PAGES = 3

_INVISIBLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_DIGITS = re.compile(r"\d+")


def line_keys(lines: Sequence[str]) -> list[int]:
    """The key of each line (0 for a line with nothing but white space): the line
    case-folded, invisible characters removed, white space and digit runs folded, hashed to
    64 bits. The same for a line as the page has it and as the engine's blocks hold it."""
    joined = "\n".join(line.replace("\n", " ") for line in lines).casefold()
    joined = _DIGITS.sub("0", _SPACES.sub(" ", _INVISIBLE.sub("", joined)))
    keys = []
    for folded in joined.split("\n"):
        folded = folded.strip()
        if not folded:
            keys.append(0)
            continue
        digest = hashlib.blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little") or 1)
    return keys


def text_lines(text: str) -> list[str]:
    """The lines the engine judges in a page's text (split as the engine splits it)."""
    return text.splitlines()


def site_of(url: str | None, filename: str | None = None) -> str | None:
    """The site a page belongs to: its URL's host (lower-cased, without ``www.``), else the
    folder its file is in (as given), else None (the page has no site: no template)."""
    if url:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        if host:
            return host[4:] if host.startswith("www.") else host
    if filename:
        folder = os.path.dirname(os.path.normpath(filename))
        return "folder:" + (folder or ".")
    return None


class SiteTemplate:
    """What the engine hands a page of a site (``Document.template``): on how many of the
    site's pages each line occurs. Held as two arrays (12 bytes a line), read-only.

    :ivar site: the site's name (:func:`site_of`).
    :ivar pages: the pages the counts were taken over.
    """

    __slots__ = ("_counts", "_keys", "pages", "site")

    def __init__(self, site: str, pages: int, counts: Mapping[int, int]) -> None:
        import numpy as np  # here, not at import: the engine imports this module, numpy costs 0.1 s

        self.site, self.pages = site, pages
        keys = np.fromiter(counts, dtype=np.uint64, count=len(counts))
        order = np.argsort(keys)
        self._keys = keys[order]
        self._counts = np.fromiter(counts.values(), dtype=np.uint32, count=len(counts))[order]

    @property
    def counts(self) -> dict[int, int]:
        """Line key (:func:`line_keys`) to the number of the site's pages holding it."""
        return dict(zip(self._keys.tolist(), self._counts.tolist(), strict=True))

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"<SiteTemplate {self.site}: {self.pages} pages, {len(self._keys)} lines>"

    def __reduce__(self) -> tuple[Any, ...]:
        return _from_arrays, (self.site, self.pages, self._keys, self._counts)

    def pages_with(self, lines: Sequence[str]) -> list[int]:
        """For each line, on how many of the site's pages it occurs."""
        import numpy as np

        keys = np.array(line_keys(lines), dtype=np.uint64)
        if not len(self._keys) or not len(keys):
            return [0] * len(keys)
        at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        found = (self._keys[at] == keys) & (keys != 0)
        return np.where(found, self._counts[at], 0).tolist()


def _from_arrays(site: str, pages: int, keys: Any, counts: Any) -> SiteTemplate:
    """A SiteTemplate from its arrays, ``keys`` sorted (unpickling, learning)."""
    t = SiteTemplate.__new__(SiteTemplate)
    t.site, t.pages, t._keys, t._counts = site, pages, keys, counts
    return t


class Templates:
    """Learned site templates, by site. Build them with :class:`TemplateLearner` (or
    :func:`learn`), keep them with :meth:`save`, read them back with :meth:`load`, and
    clean with them: ``Cleaner(templates=...)``."""

    def __init__(self, sites: Mapping[str, SiteTemplate] | None = None) -> None:
        self.sites: dict[str, SiteTemplate] = dict(sites or {})

    def site(self, name: str | None) -> SiteTemplate | None:
        """The template of the site ``name`` (:func:`site_of`), or None."""
        return self.sites.get(name) if name else None

    def __len__(self) -> int:
        return len(self.sites)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Templates):
            return NotImplemented
        return self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"<Templates of {len(self.sites)} sites>"

    # -- the file -------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The file's content: format, version, and per site its pages and lines."""
        sites = {}
        for name in sorted(self.sites):
            t = self.sites[name]
            lines = sorted(t.counts.items(), key=lambda kv: (-kv[1], kv[0]))
            sites[name] = {"pages": t.pages, "lines": [[f"{k:016x}", n] for k, n in lines]}
        return {"format": FORMAT, "version": VERSION, "key": "blake2b-64 of the folded line", "sites": sites}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the templates to ``path`` (JSON; gzipped when the name ends in ``.gz``)."""
        data = json.dumps(self.to_json(), separators=(",", ":")).encode("utf-8")
        if os.fspath(path).endswith(".gz"):
            data = gzip.compress(data, mtime=0)
        with open(path, "wb") as f:
            f.write(data)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Templates:
        """Read a templates file; :class:`ConfigError` (one line) if it is not one."""
        name = os.fspath(path)
        try:
            with open(path, "rb") as f:
                data = f.read()
            if name.endswith(".gz"):
                data = gzip.decompress(data)
            content = json.loads(data)
        except OSError as exc:
            raise ConfigError(f"cannot read the templates file {name}: {exc.strerror or exc}") from None
        except (ValueError, EOFError) as exc:  # JSON, UTF-8 or gzip
            raise ConfigError(f"{name} is not a templates file: {exc}") from None
        try:
            return cls.from_json(content)
        except ValueError as exc:
            raise ConfigError(f"{name} is not a valid templates file: {exc}") from None

    @classmethod
    def from_json(cls, content: Any) -> Templates:
        """Templates from :meth:`to_json`'s content; ValueError says what is wrong."""
        if not isinstance(content, dict) or content.get("format") != FORMAT:
            raise ValueError(f"no 'format': {FORMAT!r} (write one with 'clean learn-templates')")
        if content.get("version") != VERSION:
            raise ValueError(f"version {content.get('version')!r}, this cleaner reads version {VERSION}")
        sites = content.get("sites")
        if not isinstance(sites, dict):
            raise ValueError("'sites' is not an object")
        out = {}
        for name, entry in sites.items():
            pages = entry.get("pages") if isinstance(entry, dict) else None
            lines = entry.get("lines") if isinstance(entry, dict) else None
            if type(pages) is not int or pages < 1 or not isinstance(lines, list):
                raise ValueError(f"site {name!r}: needs 'pages' (a whole number from 1) and 'lines' (a list)")
            if len(lines) > MAX_LINES:
                raise ValueError(f"site {name!r}: {len(lines)} lines, more than {MAX_LINES}")
            counts = {}
            for line in lines:
                if not (isinstance(line, list) and len(line) == 2 and isinstance(line[0], str) and type(line[1]) is int):
                    raise ValueError(f"site {name!r}: a line is not [key, count]: {line!r}"[:200])
                key, n = line
                if len(key) != 16 or not 1 <= n <= pages:
                    raise ValueError(f"site {name!r}: line {key!r} with count {n} (16 hex digits, 1 to {pages})"[:200])
                try:
                    counts[int(key, 16)] = n
                except ValueError:
                    raise ValueError(f"site {name!r}: key {key!r} is not hexadecimal") from None
            out[name] = SiteTemplate(name, pages, counts)
        return cls(out)


class TemplateLearner:
    """The first pass: gathers, per site, the line keys of a bottom-k sample of its pages.

    ``add`` each page (or :meth:`add_lines`); :meth:`merge` another learner's pages (the
    result does not depend on the order of pages or merges); :meth:`templates` the end.
    """

    def __init__(self, sample: int = SAMPLE_PAGES) -> None:
        self.sample = sample
        # site -> page hash -> the page's distinct line keys, sorted, as uint64 bytes (8 a line)
        self._pages: dict[str, dict[bytes, bytes]] = {}
        self.seen = 0  # pages added, with a site

    def add_lines(self, site: str | None, lines: Sequence[str]) -> None:
        """Count a page of ``site`` by its lines (nothing for a page without a site)."""
        if site is None:
            return
        self.add_keys(site, line_keys(lines))

    def add_keys(self, site: str, keys: Iterable[int]) -> None:
        """Count a page of ``site`` by its line keys."""
        import numpy as np

        distinct = np.unique(np.fromiter((k for k in keys if k), dtype=np.uint64)).tobytes()
        page = hashlib.blake2b(distinct, digest_size=8).digest()
        pages = self._pages.setdefault(site, {})
        pages[page] = distinct
        self.seen += 1
        if len(pages) >= 2 * self.sample:
            self._prune(site)

    def _prune(self, site: str) -> None:
        pages = self._pages[site]
        if len(pages) > self.sample:
            keep = heapq.nsmallest(self.sample, pages)
            self._pages[site] = {h: pages[h] for h in keep}

    def merge(self, other: TemplateLearner) -> TemplateLearner:
        """Take in another learner's pages (a partition's); returns self."""
        for site, pages in other._pages.items():
            self._pages.setdefault(site, {}).update(pages)
            self._prune(site)
        self.seen += other.seen
        return self

    def __getstate__(self) -> dict[str, Any]:
        return {"sample": self.sample, "pages": self._pages, "seen": self.seen}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.sample, self._pages, self.seen = state["sample"], state["pages"], state["seen"]

    def templates(self, max_lines: int = MAX_LINES, min_pages: int = MIN_SITE_PAGES) -> Templates:
        """The templates of the sites of ``min_pages`` pages or more: per site, the sample's
        page count and its ``max_lines`` most frequent lines on MIN_LINE_PAGES pages or more."""
        import numpy as np

        sites = {}
        for site in sorted(self._pages):
            self._prune(site)
            pages = self._pages[site]
            if len(pages) < max(min_pages, MIN_LINE_PAGES):
                continue
            keys, counts = np.unique(np.frombuffer(b"".join(pages.values()), dtype=np.uint64), return_counts=True)
            frequent = counts >= MIN_LINE_PAGES
            keys, counts = keys[frequent], counts[frequent]
            top = np.sort(np.lexsort((keys, -counts))[:max_lines])  # the most frequent (then the smallest keys), in key order
            sites[site] = _from_arrays(site, len(pages), keys[top], counts[top].astype(np.uint32))
        return Templates(sites)


def learn(pages: Iterable[tuple[str | bytes, str | None]], *, cleaner: Any = None) -> Templates:
    """Templates learned from ``pages``, each a (content, url) pair, text or HTML.

    ``cleaner``: the :class:`~cleaner.Cleaner` whose decoding and sniffing reads the pages
    (default: one with the built-in plugins).
    """
    from cleaner.engine import Cleaner

    engine = cleaner if cleaner is not None else Cleaner()
    learner = TemplateLearner()
    for content, url in pages:
        site, lines = engine.template_lines(content, url=url)
        learner.add_lines(site, lines)
    return learner.templates()


def html_lines(tree: Any) -> list[str]:
    """The lines of an HTML page's visible text, one per block-level element, cheaply (no
    extraction): what the first pass counts for an HTML page, whose cleaned lines are
    blocks of it."""
    out: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        if parts:
            line = " ".join("".join(parts).split())
            if line:
                out.append(line)
            parts.clear()

    body = tree.find("body")
    root = body if body is not None else tree
    for event, elem in _walk(root):
        if event == "start":
            if elem.tag in _BLOCK_TAGS:
                flush()
            if elem.text:
                parts.append(elem.text)
        else:
            if elem.tag in _BLOCK_TAGS:
                flush()
            if elem.tail:
                parts.append(elem.tail)
    flush()
    return out


_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "select", "option"})
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)


def _walk(root: Any) -> Iterator[tuple[str, Any]]:
    """Start and end events of the elements under ``root`` (its own tail left out),
    skipping the elements whose text is not shown."""
    stack: list[tuple[Any, Iterator[Any]]] = []
    yield "start", root
    stack.append((root, iter(root)))
    while stack:
        elem, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:  # the root's tail is not in the page's body
                yield "end", elem
            continue
        if not isinstance(child.tag, str) or child.tag in _SKIP_TAGS:
            if child.tail:
                yield "tail", child
            continue
        yield "start", child
        stack.append((child, iter(child)))
