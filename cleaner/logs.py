"""The compact logs of a long page's decisions and removals, and the result as streamed JSON.

A :class:`~cleaner.model.Result` holds its decisions and removals as tuples, or, for a
page judged in windows (``Cleaner.clean``), as a :class:`DecisionLog` and a
:class:`RemovalLog`, which keep them in arrays and build each object when it is read.
:func:`json_chunks` encodes a result as JSON one removal at a time, so that neither is
ever held whole as dicts. These names are importable from :mod:`cleaner.model` too.
"""

from __future__ import annotations

import functools
import json
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from cleaner.model import Block, Category, Decision, Removal, Strength, Verdict

if TYPE_CHECKING:
    from cleaner.model import Result

__all__ = ["DecisionLog", "RemovalLog", "json_chunks"]


# Bits of DecisionLog._Chunk.flags.
_BLANK_BEFORE, _BLANK_AFTER, _KEPT_BY_REQUEST, _REVISED = 1, 2, 4, 8

_T = TypeVar("_T")


class _BuiltWhenRead(Sequence[_T]):
    """A sequence whose items are built when they are read (``_item``), not stored."""

    def _item(self, position: int) -> _T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> _T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[_T, ...]: ...
    def __getitem__(self, index: int | slice) -> _T | tuple[_T, ...]:
        if isinstance(index, slice):
            return tuple(self._item(i) for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._item(index)

    def __iter__(self) -> Iterator[_T]:
        for i in range(len(self)):
            yield self._item(i)


def _offsets(pieces: list[str]) -> array[int]:
    """Where each piece ends in ``"".join(pieces)``."""
    ends = array("q")
    end = 0
    for piece in pieces:
        end += len(piece)
        ends.append(end)
    return ends


def _piece(joined: str, ends: array[int], k: int) -> str:
    """The ``k``-th piece of a joined string (see _offsets)."""
    return joined[ends[k - 1] if k else 0 : ends[k]]


class DecisionLog(_BuiltWhenRead[Decision]):
    """Every block's decision on a long page, held in a few arrays instead of objects.

    A page of a million short lines would take some 500 bytes a line as ``Block``,
    ``Decision``, ``Verdict`` and ``Removal`` objects, thirty times the text. The engine
    judges such a page in windows (``Cleaner.clean``) and files each window's decisions
    here: the block texts joined in one string per window, line numbers, indents and
    flags in arrays, and each verdict as a number in a table of the distinct verdicts
    (plugins give a few reasons, not one per line). Reading an item builds the
    ``Decision`` (and its ``Block`` and ``Verdict``) afresh, equal to the one filed.
    """

    class _Chunk:
        __slots__ = (
            "start",
            "line_offset",
            "text",
            "ends",
            "raw",
            "raw_ends",
            "linenos",
            "indents",
            "flags",
            "verdicts",
            "firsts",
        )

        def __init__(self, start: int, line_offset: int) -> None:
            self.start = start
            self.line_offset = line_offset
            self.text = ""
            self.ends = array("q")
            self.raw: str | None = None  # None: every raw line is its text
            self.raw_ends = array("q")
            self.linenos = array("i")  # in the window
            self.indents = array("i")
            self.flags = bytearray()
            self.verdicts = array("i")
            self.firsts = array("i")

    def __init__(self) -> None:
        self._chunks: list[DecisionLog._Chunk] = []
        self._starts: list[int] = []
        self._table: list[tuple[Category | None, str, Strength, str]] = []
        self._ids: dict[tuple[Category | None, str, Strength, str], int] = {}
        self._removed = array("q")
        self._len = 0

    def add(self, decisions: Sequence[Decision], line_offset: int = 0) -> None:
        """File one window's decisions, whose block indexes count from 0 in the window and
        whose line numbers are ``line_offset`` lines behind the page's."""
        chunk = DecisionLog._Chunk(self._len, line_offset)
        texts: list[str] = []
        raws: list[str] = []
        for d in decisions:
            b = d.block
            texts.append(b.text)
            raws.append(b.raw)
            chunk.linenos.append(b.lineno)
            chunk.indents.append(b.indent)
            chunk.flags.append(
                (_BLANK_BEFORE if b.blank_before else 0)
                | (_BLANK_AFTER if b.blank_after else 0)
                | (_KEPT_BY_REQUEST if d.kept_by_request else 0)
                | (_REVISED if d.revised else 0)
            )
            chunk.verdicts.append(self._id(d.verdict))
            chunk.firsts.append(self._id(d.first))
            if not d.keep:
                self._removed.append(self._len + len(texts) - 1)
        chunk.text, chunk.ends = "".join(texts), _offsets(texts)
        if raws != texts:
            chunk.raw, chunk.raw_ends = "".join(raws), _offsets(raws)
        self._chunks.append(chunk)
        self._starts.append(self._len)
        self._len += len(texts)

    def _id(self, verdict: Verdict | None) -> int:
        if verdict is None:
            return -1
        key = (verdict.category, verdict.reason, verdict.strength, verdict.plugin)
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = len(self._table)
            self._table.append(key)
        return found

    def _verdict(self, number: int, index: int) -> Verdict | None:
        return None if number < 0 else Verdict(index, *self._table[number])

    def __len__(self) -> int:
        return self._len

    def _item(self, index: int) -> Decision:
        chunk = self._chunks[bisect_right(self._starts, index) - 1]
        k = index - chunk.start
        text = _piece(chunk.text, chunk.ends, k)
        raw = text if chunk.raw is None else _piece(chunk.raw, chunk.raw_ends, k)
        flags = chunk.flags[k]
        block = Block(
            index,
            chunk.linenos[k] + chunk.line_offset,
            raw,
            text,
            bool(flags & _BLANK_BEFORE),
            bool(flags & _BLANK_AFTER),
            chunk.indents[k],
        )
        verdict = self._verdict(chunk.verdicts[k], index)
        first = self._verdict(chunk.firsts[k], index) if flags & _REVISED else verdict
        return Decision(block, verdict, first, bool(flags & _KEPT_BY_REQUEST))

    @property
    def removed(self) -> RemovalLog:
        """The removed blocks, in page order, as :class:`Removal` objects built when read."""
        return RemovalLog(self, self._removed)


class RemovalLog(_BuiltWhenRead[Removal]):
    """The removals of a :class:`DecisionLog`, each built when it is read."""

    def __init__(self, log: DecisionLog, indexes: array[int]) -> None:
        self._log = log
        self._indexes = indexes

    def __len__(self) -> int:
        return len(self._indexes)

    def _item(self, position: int) -> Removal:
        removal = self._log._item(self._indexes[position]).removal()
        assert removal is not None
        return removal


def json_chunks(result: Result, extra: Mapping[str, Any] | None = None, *, indent: int | None = None) -> Iterator[str]:
    """``json.dumps({**extra, **result.to_dict()}, ensure_ascii=False, indent=indent)``,
    in pieces: the removals are encoded one at a time, never held all at once as
    dicts (on a page of a million removed lines those would take 40 times the page)."""
    dump = functools.partial(json.dumps, ensure_ascii=False, indent=indent)
    head = dump({**(extra or {}), **result._head()})
    notes = dump(list(result.notes))
    if indent is None:
        yield head[:-1] + ', "removed": ['
        for i, removal in enumerate(result.removed):
            yield (", " if i else "") + dump(removal.to_dict())
        yield f'], "notes": {notes}}}'
        return
    pad = " " * indent
    yield head[: -len("\n}")] + f',\n{pad}"removed": ['
    first = True
    for removal in result.removed:
        item = dump(removal.to_dict()).replace("\n", "\n" + pad * 2)
        yield ("\n" if first else ",\n") + pad * 2 + item
        first = False
    closing = "]" if first else f"\n{pad}]"
    yield f'{closing},\n{pad}"notes": {notes.replace(chr(10), chr(10) + pad)}\n}}'
