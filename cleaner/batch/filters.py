"""Which cleaned pages a batch writes: ``--language`` and ``--dedup``.

Both filters run where the outputs are written (the main process), after the pages were
cleaned, in input order: what a run drops is the same whatever ``--jobs`` says, and a
Dask run drops the same pages as a local one. A worker sends what they need with each
outcome: the page's language (``metadata["language"]``) and :func:`~cleaner.batch.worker.text_digest`, the
hash of its cleaned text.

``--dedup`` keeps the first page of each cleaned text and drops the later ones: exact
duplicates once white space is normalised (runs of spaces, tabs and newlines count as
one space). It remembers 8 bytes a distinct page, in a table kept at most half full
(:class:`SeenHashes`): 16 to 32 bytes of memory per distinct page written (16-32 MB a
million pages), never the texts. Two different texts share a 64-bit hash with odds of
about n²/2⁶⁵ for n pages (1 in 3,700 for 100 million): such a page would be dropped as
a duplicate.
"""

from __future__ import annotations

import array
import re
from collections.abc import Iterable
from typing import BinaryIO

from cleaner.batch.worker import DIGEST_BYTES, Outcome
from cleaner.errors import ConfigError
from cleaner.outputs import OutputError, describe, remove

# The dedup table's first size (slots); it doubles when half full.
_FIRST_SLOTS = 1 << 14
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
# Why a page that was cleaned is not written.
DUPLICATE, OTHER_LANGUAGE = "duplicate", "language"


def parse_languages(values: Iterable[str]) -> frozenset[str]:
    """The language codes of ``--language en,de`` (repeatable), lower-cased.

    :raises ConfigError: a code that is not two letters (ISO 639-1), or none at all.
    """
    codes: set[str] = set()
    for value in values:
        for code in value.split(","):
            code = code.strip().lower()
            if not _LANGUAGE_CODE.match(code):
                raise ConfigError(
                    f"--language takes ISO 639-1 codes, two letters each, separated by commas (en,de): {code!r} is not one"
                )
            codes.add(code)
    if not codes:
        raise ConfigError("--language needs at least one language code (en,de)")
    return frozenset(codes)


def page_language(language: str | None) -> str | None:
    """A page's language as ``--language`` compares it: the primary subtag, lower-cased (``en-US`` is ``en``)."""
    if not language:
        return None
    return re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower() or None


class SeenHashes:
    """The hashes of the cleaned texts written so far, for ``--dedup``.

    An open-addressing table of 8-byte hashes (linear probing), doubled when half full.
    With ``path``, each new hash is also appended to that file at each :meth:`checkpoint`
    (the file's length goes in the resume state), so that a resumed run knows the pages
    written before it.

    :param path: the file of hashes beside a resumable output, or None.
    :param resume_at: read this many bytes of hashes from ``path`` and append after them.
    """

    def __init__(self, path: str | None = None, *, resume_at: int | None = None) -> None:
        self._slots = array.array("Q", bytes(8 * _FIRST_SLOTS))
        self._mask = _FIRST_SLOTS - 1
        self.count = 0
        self.path = path
        self._pending = bytearray()
        self._fh: BinaryIO | None = None
        if path is None:
            return
        try:
            if resume_at is None:
                self._fh = open(path, "wb")
            else:
                self._fh = open(path, "r+b")
                known = self._fh.read(resume_at)
                if len(known) < resume_at:
                    raise ConfigError(f"{path} is shorter than the resume state says: remove the state file to start again")
                for start in range(0, len(known) - len(known) % DIGEST_BYTES, DIGEST_BYTES):
                    self._insert(int.from_bytes(known[start : start + DIGEST_BYTES], "little") or 1)
                self._fh.truncate(resume_at)
                self._fh.seek(resume_at)
        except FileNotFoundError:
            raise ConfigError(f"{path} is missing: it holds the hashes --dedup needs to resume; remove the state file") from None
        except OSError as exc:
            raise OutputError(describe(exc, path)) from None

    def add(self, digest: bytes) -> bool:
        """Remember ``digest``; False if it was seen before (a duplicate)."""
        if not self._insert(int.from_bytes(digest, "little") or 1):  # 0 marks an empty slot
            return False
        if self._fh is not None:
            self._pending += digest
        return True

    def _insert(self, key: int) -> bool:
        slots, mask = self._slots, self._mask
        i = key & mask
        while True:
            held = slots[i]
            if held == key:
                return False
            if not held:
                slots[i] = key
                self.count += 1
                if 2 * self.count > len(slots):
                    self._grow()
                return True
            i = (i + 1) & mask

    def _grow(self) -> None:
        old = self._slots
        self._slots = slots = array.array("Q", bytes(16 * len(old)))
        self._mask = mask = len(slots) - 1
        for key in old:
            if key:
                i = key & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = key

    def checkpoint(self) -> int:
        """Write the hashes added since the last checkpoint; the file's length."""
        if self._fh is None:
            return 0
        try:
            self._fh.write(self._pending)
            self._fh.flush()
        except OSError as exc:
            raise OutputError(describe(exc, str(self.path))) from None
        self._pending.clear()
        return self._fh.tell()

    def close(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass

    def discard(self) -> None:
        """Close and remove the file (the run is complete: nothing is left to resume)."""
        self.close()
        if self.path is not None:
            remove(self.path)


class PageFilter:
    """What a run leaves out of the pages it cleaned: other languages, then duplicates.

    :param languages: the codes to keep (``--language``), or None for all.
    :param seen: the hashes of the pages written (``--dedup``), or None.
    """

    def __init__(self, languages: frozenset[str] | None, seen: SeenHashes | None) -> None:
        self.languages = languages
        self.seen = seen

    def __bool__(self) -> bool:
        return self.languages is not None or self.seen is not None

    def dropped(self, outcome: Outcome) -> str | None:
        """Why this cleaned page is not written (:data:`OTHER_LANGUAGE`, :data:`DUPLICATE`), or None."""
        if self.languages is not None and page_language(outcome.language) not in self.languages:
            return OTHER_LANGUAGE
        if self.seen is not None and outcome.digest is not None and not self.seen.add(outcome.digest):
            return DUPLICATE
        return None
