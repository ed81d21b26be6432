"""Parquet inputs and outputs of a batch (pyarrow: ``pip install 'cleaner[parquet]'``).

* Reading (:func:`parquet_rows`): a file's rows, a batch of :data:`READ_BATCH_ROWS` at a
  time (pyarrow reads a row group's columns for it), each row a dict as JSONL records are.
* Writing (:class:`ParquetRecordWriter`): rows buffered up to :data:`ROW_GROUP_ROWS` (or
  :data:`ROW_GROUP_BYTES`) and written as one row group. A Parquet file is readable only
  once its footer is written, so a run's output grows as a folder of complete files,
  ``NAME.parquet.part/00000.parquet``..., one closed at each checkpoint; ``--resume``
  removes those past the checkpoint, and the run's end joins them, row group by row
  group, into ``NAME.parquet``.

Every row of a Parquet file has the same columns. With a Parquet input they are the
input's, the cleaned text's column a string (added, or replacing the page's) and
``cleaner`` (the JSON of what a JSONL record holds there). Otherwise the first record
written sets them: its objects and arrays are stored as JSON text, and a field that is
null in it is a string column; a later record with a field the first did not have, or a
value of another type, is a listed failure, never a silent loss.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from cleaner.errors import ConfigError, InputError
from cleaner.outputs import OutputError, describe

INSTALL_HINT = "pip install 'cleaner[parquet]'"
# Rows converted from Arrow to Python at a time while reading.
READ_BATCH_ROWS = 256
# A row group holds up to this many rows, and flushes sooner past this many bytes of text.
ROW_GROUP_ROWS = 10_000
ROW_GROUP_BYTES = 64 * 2**20
CHUNK_NAME = "{:05d}.parquet"
PART_SUFFIX = ".part"


def require_pyarrow() -> None:
    """Raise a one-line ConfigError that says how to install pyarrow when it is missing."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ConfigError(f"Parquet inputs and outputs need pyarrow: {INSTALL_HINT}") from None


def names_parquet(name: str) -> bool:
    return name.lower().endswith(".parquet")


def read_schema(path: str) -> Any:
    """The schema of a Parquet file (without its pandas metadata); ConfigError if unreadable."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path).remove_metadata()
    except (OSError, pa.ArrowException) as exc:
        raise ConfigError(f"cannot read {path} as Parquet: {exc}") from None


def output_schema(schema: Any, text_field: str, result_field: str) -> Any:
    """The columns a cleaned Parquet input is written with: its own, the cleaned text's
    column and the result field strings (replacing, or added at the end)."""
    import pyarrow as pa

    for name in (text_field, result_field):
        index = schema.get_field_index(name)
        if index >= 0:
            schema = schema.set(index, pa.field(name, pa.string()))
        else:
            schema = schema.append(pa.field(name, pa.string()))
    return schema


def parquet_rows(path: str, meter: Any) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """The rows of a Parquet file: ``(row index, row, None)``; a file that cannot be read
    (further) ends with one ``(row index, None, reason)``. Advances ``meter.done`` in bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    size = os.path.getsize(path) if os.path.exists(path) else 0
    n = 0
    try:
        with pq.ParquetFile(path) as pf:
            total = pf.metadata.num_rows or 1
            for batch in pf.iter_batches(batch_size=READ_BATCH_ROWS):
                for row in batch.to_pylist():
                    yield n, row, None
                    n += 1
                meter.done = meter._base + size * n // total
    except (OSError, pa.ArrowException) as exc:
        where = f"cannot read past row {n}" if n else "cannot read it as Parquet"
        yield n, None, f"{where}: {type(exc).__name__}: {exc}"
    meter._base += size
    meter.done = meter._base


def _python_types(arrow_type: Any) -> tuple[type, ...] | None:
    """The Python values a column of this type takes (checked before a row is buffered), or
    None when pyarrow alone tells (nested and temporal types, from a Parquet input)."""
    import pyarrow.types as t

    if t.is_string(arrow_type) or t.is_large_string(arrow_type):
        return (str,)
    if t.is_binary(arrow_type) or t.is_large_binary(arrow_type):
        return (bytes, str)
    if t.is_boolean(arrow_type):
        return (bool,)
    if t.is_integer(arrow_type):
        return (int,)
    if t.is_floating(arrow_type):
        return (int, float)
    return None


def infer_schema(row: Mapping[str, Any]) -> Any:
    """Columns for records without a schema of their own, from the first one."""
    import pyarrow as pa

    fields = []
    for name, value in row.items():
        if value is None or isinstance(value, (str, dict, list)):
            kind = pa.string()
        elif isinstance(value, bool):
            kind = pa.bool_()
        elif isinstance(value, int):
            kind = pa.int64()
        elif isinstance(value, float):
            kind = pa.float64()
        elif isinstance(value, bytes):
            kind = pa.binary()
        else:
            kind = pa.string()  # a value JSON does not have: its str
        fields.append(pa.field(name, kind))
    return pa.schema(fields)


class ParquetRecordWriter:
    """Write rows (dicts) to ``PATH``, through ``PATH.part/``, a file per checkpoint.

    The interface of :class:`cleaner.outputs.RecordWriter` (``checkpoint``, ``commit``,
    ``close``), with :meth:`write_row` for :meth:`~cleaner.outputs.RecordWriter.write`;
    a checkpoint's offset is the number of complete files in ``PATH.part/``.

    :param schema: the columns (a Parquet input's, see :func:`output_schema`), or None for
        the first row's (:func:`infer_schema`), whose objects and arrays go as JSON text.
    :param empty_columns: the columns of an output that gets no row and has no schema.
    :param resume_at: keep this many files of ``PATH.part/`` and go on after them.
    """

    def __init__(self, path: str, schema: Any = None, *, empty_columns: Sequence[str] = (), resume_at: int | None = None) -> None:
        self.path = path
        self.part = path + PART_SUFFIX
        self._nested_as_json = schema is None
        self._empty_columns = tuple(empty_columns)
        self._rows: list[dict[str, Any]] = []
        self._sources: list[str] = []
        self._bytes = 0
        self._writer: Any = None  # the open chunk file's writer
        self._failed = False
        try:
            if resume_at is None:
                shutil.rmtree(self.part, ignore_errors=True)
                os.makedirs(self.part)
                self.chunks = 0
            else:
                for name in os.listdir(self.part):  # files past the checkpoint: written after it, or cut short
                    stem = name.removesuffix(".parquet")
                    if stem != name and stem.isdigit() and int(stem) >= resume_at:
                        os.unlink(os.path.join(self.part, name))
                self.chunks = resume_at
        except OSError as exc:
            raise OutputError(describe(exc, self.part)) from None
        if schema is None and self.chunks:
            schema = read_schema(self._chunk(0))
        self.schema = schema
        self._set_checks()

    @staticmethod
    def resumable(path: str, resume_at: int) -> bool:
        """Whether ``PATH.part/`` holds the ``resume_at`` files a checkpoint counted."""
        part = path + PART_SUFFIX
        return all(os.path.exists(os.path.join(part, CHUNK_NAME.format(i))) for i in range(resume_at))

    def _chunk(self, index: int) -> str:
        return os.path.join(self.part, CHUNK_NAME.format(index))

    def _set_checks(self) -> None:
        self._checks = {f.name: _python_types(f.type) for f in self.schema} if self.schema is not None else {}

    def write_row(self, row: Mapping[str, Any], source: str = "") -> None:
        """Buffer one row; InputError when it does not fit the columns (nothing is buffered then)."""
        if self._failed:
            raise OutputError(f"cannot write {self.part}: an earlier write failed")
        if self._nested_as_json:
            row = {k: _json_text(v) if isinstance(v, (dict, list)) else v for k, v in row.items()}
        if self.schema is None:
            self.schema = infer_schema(row)
            self._set_checks()
        checks = self._checks
        for name, value in row.items():
            if name not in checks:
                raise InputError(
                    f"the record's field {name!r} is not a column of the Parquet output "
                    f"(its columns are those of the first record, or of the Parquet input)"
                )
            accepted = checks[name]
            if value is None or accepted is None:
                continue
            if not isinstance(value, accepted) or (isinstance(value, bool) and bool not in accepted):
                column = self.schema.field(name).type
                raise InputError(f"the record's {name!r} is a {type(value).__name__}, and its Parquet column holds {column}")
        self._rows.append(dict(row))
        self._sources.append(source)
        self._bytes += sum(len(v) for v in row.values() if isinstance(v, (str, bytes)))
        if len(self._rows) >= ROW_GROUP_ROWS or self._bytes >= ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            table = pa.Table.from_pylist(self._rows, schema=self.schema)
        except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:
            self._failed = True
            raise OutputError(f"cannot write {self.path}: {self._culprit()} does not fit its columns: {exc}") from None
        try:
            if self._writer is None:
                self._writer = pq.ParquetWriter(self._chunk(self.chunks), self.schema)
            self._writer.write_table(table)
        except OSError as exc:
            self._failed = True
            raise OutputError(describe(exc, self._chunk(self.chunks))) from None
        self._rows, self._sources, self._bytes = [], [], 0

    def _culprit(self) -> str:
        import pyarrow as pa

        for row, source in zip(self._rows, self._sources, strict=True):
            try:
                pa.Table.from_pylist([row], schema=self.schema)
            except (pa.ArrowException, OverflowError, TypeError, ValueError):
                return f"the record from {source or 'the input'}"
        return "a record"

    def checkpoint(self) -> int:
        """Write the rows buffered and close the current file; how many files are complete."""
        self._flush()
        if self._writer is not None:
            writer, self._writer = self._writer, None
            try:
                writer.close()
            except OSError as exc:
                self._failed = True
                raise OutputError(describe(exc, self._chunk(self.chunks))) from None
            self.chunks += 1
        return self.chunks

    def commit(self) -> None:
        """Join the complete files into ``PATH`` (row group by row group) and remove ``PATH.part/``."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.checkpoint()
        tmp = self.path + ".tmp"
        try:
            schema = self.schema if self.schema is not None else pa.schema([(c, pa.string()) for c in self._empty_columns])
            with pq.ParquetWriter(tmp, schema) as out:
                for index in range(self.chunks):
                    with pq.ParquetFile(self._chunk(index)) as chunk:
                        for group in range(chunk.num_row_groups):
                            out.write_table(chunk.read_row_group(group))
            os.replace(tmp, self.path)
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise OutputError(describe(exc, self.path)) from None
        shutil.rmtree(self.part, ignore_errors=True)

    def close(self) -> None:
        """Close the open file without finishing it (``--resume`` removes it)."""
        if self._writer is not None:
            try:
                self._writer.close()
            except OSError:
                pass
            self._writer = None


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
