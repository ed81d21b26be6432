"""cleaner.datatrove.CleanerStep in real datatrove pipelines: JsonlReader -> CleanerStep -> writer (issue 18)."""

from __future__ import annotations

import gzip
import json
import pathlib

import pytest

pytest.importorskip("datatrove")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader, ParquetReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402
from test_batch import no_autoload  # noqa: E402, F401 - the fixture
from test_batch_output import ARTICLE as HTML  # noqa: E402

from cleaner import Cleaner, hookimpl  # noqa: E402
from cleaner.datatrove import CleanerStep  # noqa: E402
from cleaner.errors import ConfigError, PluginError  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (ROOT / "fixtures").glob("[0-9][0-9][0-9]_*.txt") if not p.name.endswith(".expected.txt"))
URL = "https://www.devdiscourse.com/article/x"
BOILERPLATE = "Advertisement\nShare on Facebook\nShare on Twitter\n"


@pytest.fixture(scope="module")
def engine():
    return Cleaner(autoload=False)


def corpus(folder: pathlib.Path) -> list[dict]:
    records = [
        {"id": "seed0", "text": SEEDS[0].read_text(encoding="utf-8"), "url": URL},
        {"id": "empty", "text": BOILERPLATE},
        {"id": "seed1", "text": SEEDS[1].read_text(encoding="utf-8")},
        {"id": "html", "text": HTML, "url": "https://example.com/a"},
    ]
    folder.mkdir()
    with open(folder / "part.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    return records


def read_output(folder: pathlib.Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        rows += [json.loads(line) for line in gzip.decompress(path.read_bytes()).decode().splitlines()]
    return rows


def test_jsonl_reader_cleaner_step_jsonl_writer_in_a_local_executor(tmp_path, engine):
    records = corpus(tmp_path / "in")
    assert engine.clean(BOILERPLATE).text.strip() == ""  # the page that cleans to nothing
    step = CleanerStep(autoload=False)
    executor = LocalPipelineExecutor(
        [JsonlReader(str(tmp_path / "in")), step, JsonlWriter(str(tmp_path / "out"))],
        tasks=1,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    )
    executor.run()
    rows = read_output(tmp_path / "out")
    assert [r["id"] for r in rows] == ["seed0", "seed1", "html"]
    kept = [r for r in records if r["id"] != "empty"]
    for row, record in zip(rows, kept, strict=True):
        expected = engine.clean(record["text"], url=record.get("url"))
        assert row["text"] == expected.text
        summary = row["metadata"]["cleaner"]
        assert summary["title"] == expected.title and summary["removed"] == expected.removals_by_category()
    assert rows[0]["metadata"]["cleaner"]["metadata"]["site"] == "devdiscourse"  # the URL reached the site plugin
    assert rows[2]["metadata"]["cleaner"]["kind"] == "html" and "Home" not in rows[2]["text"]
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    ours = next(s for s in stats if s["name"] == str(step))
    assert ours["stats"]["total"] == 4 and ours["stats"]["forwarded"] == 3
    assert ours["stats"]["dropped"] == 1 and ours["stats"]["dropped_empty"] == 1


class Boom:
    """A plugin that fails on pages that say BOOM."""

    @hookimpl
    def cleaner_judge(self, doc):
        if any("BOOM" in b.text for b in doc.blocks):
            raise RuntimeError("boom")
        return []


def test_errors_are_dropped_marked_or_raised():
    texts = {"bad": "BOOM\n" + SEEDS[2].read_text(encoding="utf-8"), "page": SEEDS[2].read_text(encoding="utf-8")}

    def run(step):
        return list(step.run(iter([Document(text=text, id=key) for key, text in texts.items()])))

    dropped = CleanerStep(autoload=False, plugins=[Boom()])
    assert [d.id for d in run(dropped)] == ["page"]
    assert dropped.stats["dropped_failed"].total == 1 and dropped.stats["dropped"].total == 1
    marked = run(CleanerStep(autoload=False, plugins=[Boom()], errors="mark"))
    assert [d.id for d in marked] == ["bad", "page"]
    assert marked[0].text == texts["bad"] and marked[0].metadata["cleaner"]["error"] == "PluginError"
    with pytest.raises(PluginError, match="boom"):
        run(CleanerStep(autoload=False, plugins=[Boom()], errors="raise"))


def test_options_pass_through_to_the_cleaner_and_bad_ones_fail_at_once(engine):
    text = SEEDS[0].read_text(encoding="utf-8")
    (doc,) = CleanerStep(autoload=False, keep=["caption", "byline"]).run(iter([Document(text=text, id="a")]))
    assert doc.text == Cleaner(autoload=False, keep={"caption", "byline"}).clean(text).text
    with pytest.raises(ConfigError):
        CleanerStep(errors="ignore")
    with pytest.raises(Exception, match="nosuch"):
        CleanerStep(disable=["nosuch"])


@pytest.mark.slow
def test_two_worker_processes_and_a_parquet_reader(tmp_path, engine):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    records = corpus(tmp_path / "in")
    (tmp_path / "pq").mkdir()
    for n in (0, 1):
        pq.write_table(pa.Table.from_pylist(records[n * 2 : n * 2 + 2]), tmp_path / "pq" / f"{n}.parquet")
    LocalPipelineExecutor(
        [ParquetReader(str(tmp_path / "pq")), CleanerStep(autoload=False), JsonlWriter(str(tmp_path / "out"))],
        tasks=2,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    rows = read_output(tmp_path / "out")
    assert sorted(r["id"] for r in rows) == ["html", "seed0", "seed1"]
    for row in rows:
        record = next(r for r in records if r["id"] == row["id"])
        assert row["text"] == engine.clean(record["text"], url=record.get("url")).text
