"""The progress bar counts pages done, not bytes read ahead (issue 18)."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
from test_batch import no_autoload, seed_records, write_jsonl  # noqa: F401 - the fixture

from cleaner.batch import BatchConfig, run_batch
from cleaner.sources import Meter

OPTIONS = {"autoload": False}


def test_the_percent_counts_pages_done_of_the_records_in_the_file(tmp_path):
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, seed_records() * 4)  # 12 records, all read ahead at once
    seen = []
    run_batch(
        BatchConfig(inputs=(str(corpus),), output=str(tmp_path / "o.jsonl"), jobs=1, cleaner_options=OPTIONS),
        progress=lambda report, meter: seen.append((meter.pages_done, meter.expected_pages(), meter.done)),
    )
    assert [done for done, _, _ in seen] == list(range(1, 13))
    assert all(expected == 12 for _, expected, _ in seen)  # read ahead: known from the first page on
    assert seen[0][2] == corpus.stat().st_size  # what the bar used to show: 100 % at page 1
    assert seen[-1][:2] == (12, 12)


def test_while_records_are_read_the_total_is_estimated_from_the_bytes():
    meter = Meter(unit="bytes", total=10_000, done=2_500, pages_read=50, pages_done=10)
    assert meter.expected_pages() == 200
    meter.finished = True
    assert meter.expected_pages() == 50
    assert Meter(unit="bytes", total=None, done=0, pages_read=3).expected_pages() is None  # a stream
    assert Meter(unit="pages", total=7).expected_pages() == 7


def test_a_stream_of_unknown_length_gets_its_total_once_read(tmp_path):
    lines = "".join(json.dumps(r) + "\n" for r in seed_records() * 2).encode()
    seen = []
    run_batch(
        BatchConfig(inputs=("-",), input_format="jsonl", jobs=1, cleaner_options=OPTIONS),
        progress=lambda report, meter: seen.append((meter.pages_done, meter.expected_pages())),
        stdin=io.BytesIO(lines),
        stdout=io.BytesIO(),
    )
    assert seen[-1] == (6, 6)


def test_the_bar_shows_pages_done_of_pages_expected():
    from cleaner.cli_batch import _ProgressBar

    bar = _ProgressBar()
    try:
        bar._last = float("-inf")
        meter = Meter(unit="bytes", total=1000, done=1000, pages_read=5, pages_done=1, finished=True)
        bar(SimpleNamespace(pages_in=1, failed=0), meter)
        task = bar._progress.tasks[0]
        assert (task.completed, task.total) == (1, 5)
        assert task.percentage == pytest.approx(20.0)
    finally:
        bar.close()
