"""Parquet in and out of a batch (issue 18): the same records as JSONL, row groups, failures, resume."""

from __future__ import annotations

import datetime
import json
import sys

import pytest
from test_batch import (  # noqa: F401 - the fixtures
    OPTIONS,
    SEEDS,
    expected_text,
    invoke,
    make_tree,
    no_autoload,
    seed_records,
    write_jsonl,
    write_wet,
)
from test_batch_output import ARTICLE as HTML

import cleaner.batch
from cleaner import Cleaner, parquet
from cleaner.batch import RESULT_FIELD, BatchConfig, run_batch
from cleaner.sources import InputKind, Meter, kind_of

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def engine():
    return Cleaner(autoload=False)


def interrupt_at(config, pages, *, checkpoint_every):
    """Run ``config`` and press Ctrl-C once ``pages`` pages are done, with a checkpoint every ``checkpoint_every``."""

    def interrupt(report, meter):
        if report.pages_in == pages:
            raise KeyboardInterrupt

    cleaner.batch.CHECKPOINT_EVERY = checkpoint_every
    try:
        with pytest.raises(KeyboardInterrupt):
            run_batch(config, progress=interrupt)
    finally:
        cleaner.batch.CHECKPOINT_EVERY = 1000


def write_parquet(path, records, **kwargs):
    pq.write_table(pa.Table.from_pylist(records), path, **kwargs)


def read_rows(path):
    return pq.read_table(path).to_pylist()


def test_parquet_names_are_parquet_inputs():
    assert kind_of("corpus.parquet") is InputKind.PARQUET
    assert kind_of("CORPUS.PARQUET") is InputKind.PARQUET
    assert kind_of("corpus.jsonl") is InputKind.JSONL


def test_parquet_in_jsonl_out_is_what_jsonl_in_gives(tmp_path):
    records = seed_records()
    for record in records:
        del record["nested"]  # a struct column would come back as an object too; kept simple here
    write_parquet(tmp_path / "c.parquet", records)
    write_jsonl(tmp_path / "c.jsonl", records)
    result = invoke(str(tmp_path / "c.parquet"), "--url-field", "url", "-o", str(tmp_path / "p.jsonl"), "-j", "2")
    assert result.exit_code == 0, result.output
    assert "3 pages in, 3 out, 0 failed" in result.stderr
    assert invoke(str(tmp_path / "c.jsonl"), "--url-field", "url", "-o", str(tmp_path / "j.jsonl")).exit_code == 0
    assert (tmp_path / "p.jsonl").read_bytes() == (tmp_path / "j.jsonl").read_bytes()
    rows = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text().splitlines()]
    assert rows[0][RESULT_FIELD]["metadata"]["site"] == "devdiscourse"  # the URL reached the site plugin


def test_parquet_to_parquet_keeps_the_columns_and_types_and_cleans_the_text(tmp_path, engine):
    when = datetime.datetime(2024, 5, 1, 12, 30)
    records = [
        {"id": i, "score": 0.5 + i, "when": when, "tags": ["a", str(i)], "text": SEEDS[i].read_text(encoding="utf-8")}
        for i in range(3)
    ]
    source = tmp_path / "c.parquet"
    write_parquet(source, records)
    out = tmp_path / "out.parquet"
    result = invoke(str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    in_schema = pq.read_schema(source)
    for name in ("id", "score", "when", "tags"):
        assert table.schema.field(name).type == in_schema.field(name).type
    assert table.column_names == ["id", "score", "when", "tags", "text", RESULT_FIELD]
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [0, 1, 2] and rows[2]["when"] == when and rows[1]["tags"] == ["a", "1"]
    for row, path in zip(rows, SEEDS[:3], strict=True):
        assert (row["text"] + "\n").encode() == expected_text(engine, path)
        summary = json.loads(row[RESULT_FIELD])  # the JSON of what a JSONL record holds there
        assert set(summary) >= {"title", "kind", "removed", "metadata", "notes"} and sum(summary["removed"].values()) >= 1
    assert not (tmp_path / "out.parquet.part").exists()


def test_a_binary_html_column_is_cleaned_into_an_output_field(tmp_path):
    write_parquet(tmp_path / "c.parquet", [{"url": "https://example.com/a", "html": HTML.encode()}])
    out = tmp_path / "out.parquet"
    result = invoke(str(tmp_path / "c.parquet"), "--text-field", "html", "--output-field", "text", "-o", str(out))
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.schema.field("html").type == pa.binary() and table.schema.field("text").type == pa.string()
    (row,) = table.to_pylist()
    assert row["html"] == HTML.encode()  # the page stays beside its text
    assert row["text"].startswith("Big news\n\nA long paragraph") and "Home" not in row["text"]
    assert json.loads(row[RESULT_FIELD])["kind"] == "html"


def test_jsonl_folders_and_warc_become_parquet_by_the_output_name(tmp_path, engine):
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, seed_records())
    out = tmp_path / "from-jsonl.parquet"
    assert invoke(str(corpus), "-o", str(out)).exit_code == 0
    rows = read_rows(out)
    assert [r["id"] for r in rows] == [0, 1, 2]
    assert rows[1]["nested"] == '{"k": [1]}'  # objects and arrays of JSON records are stored as JSON text
    assert isinstance(json.loads(rows[0][RESULT_FIELD])["removed"], dict)

    pages = make_tree(tmp_path)
    result = invoke(str(pages), "-o", str(tmp_path / "pages.parquet"))
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "pages.parquet")
    assert [r["path"] for r in rows] == [
        str(pages / "a.txt"),
        str(pages / "sub" / "b.txt"),
        str(pages / "sub" / "d.txt.gz"),
        str(pages / "sub" / "deeper" / "c.txt"),
    ]
    assert (rows[0]["text"] + "\n").encode() == expected_text(engine, pages / "a.txt")

    wet = tmp_path / "crawl.warc.wet.gz"
    write_wet(wet, [(r["url"], r["text"]) for r in seed_records()])
    assert invoke(str(wet), "-o", str(tmp_path / "crawl.parquet")).exit_code == 0
    rows = read_rows(tmp_path / "crawl.parquet")
    assert [r["url"] for r in rows] == [r["url"] for r in seed_records()] and rows[0]["warc_type"] == "conversion"


def test_format_json_puts_the_whole_result_in_the_result_column(tmp_path):
    write_parquet(tmp_path / "c.parquet", [{"text": SEEDS[0].read_text(encoding="utf-8")}])
    out = tmp_path / "out.parquet"
    assert invoke(str(tmp_path / "c.parquet"), "--format", "json", "-o", str(out)).exit_code == 0
    (row,) = read_rows(out)
    whole = json.loads(row[RESULT_FIELD])
    assert isinstance(whole["removed"], list) and {"line", "text", "category", "reason", "plugin"} <= set(whole["removed"][0])


def test_bad_rows_and_records_that_do_not_fit_the_columns_are_listed(tmp_path):
    write_parquet(tmp_path / "c.parquet", [{"text": "A page of words, cleaned."}, {"text": None}, {"text": "Another page."}])
    result = invoke(str(tmp_path / "c.parquet"), "-o", str(tmp_path / "out.parquet"))
    assert result.exit_code == 1
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert [e["source"] for e in errors] == [f"{tmp_path / 'c.parquet'}[1]"]
    assert len(read_rows(tmp_path / "out.parquet")) == 2

    # JSONL into Parquet: the first record sets the columns; a later one that does not fit is a listed failure
    write_jsonl(
        tmp_path / "c.jsonl",
        [{"id": 1, "text": "One page."}, {"id": 2, "extra": "x", "text": "Two."}, {"id": "three", "text": "3"}],
    )
    result = invoke(str(tmp_path / "c.jsonl"), "-o", str(tmp_path / "j.parquet"))
    assert result.exit_code == 1
    errors = [json.loads(line) for line in (tmp_path / "j.errors.jsonl").read_text().splitlines()]
    assert [e["source"].rsplit(":", 1)[1] for e in errors] == ["2", "3"]
    assert "'extra' is not a column" in errors[0]["reason"] and "'id' is a str" in errors[1]["reason"]
    assert "3 pages in, 1 out, 2 failed" in result.stderr and [r["id"] for r in read_rows(tmp_path / "j.parquet")] == [1]


def test_a_file_that_is_not_parquet_is_one_listed_failure(tmp_path):
    (tmp_path / "junk.parquet").write_bytes(b"not parquet at all")
    result = invoke(str(tmp_path / "junk.parquet"), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 1
    (error,) = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert error["source"] == str(tmp_path / "junk.parquet") and "cannot read it as Parquet" in error["reason"]


def test_parquet_is_read_a_batch_at_a_time(tmp_path, monkeypatch):
    write_parquet(tmp_path / "c.parquet", [{"text": f"page {i}"} for i in range(12)], row_group_size=4)
    monkeypatch.setattr(parquet, "READ_BATCH_ROWS", 2)
    meter = Meter(unit="bytes")
    rows = parquet.parquet_rows(str(tmp_path / "c.parquet"), meter)
    seen = [next(rows)[1] or {} for _ in range(3)]
    assert [r["text"] for r in seen] == ["page 0", "page 1", "page 2"]
    size = (tmp_path / "c.parquet").stat().st_size
    assert 0 < meter.done < size  # read as far as the batches so far, not the whole file
    assert [(r[1] or {})["text"] for r in rows][-1] == "page 11" and meter.done == size


def test_rows_are_written_in_row_groups(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "c.jsonl", [{"id": i, "text": f"Page number {i} of the corpus."} for i in range(10)])
    monkeypatch.setattr(parquet, "ROW_GROUP_ROWS", 3)
    out = tmp_path / "out.parquet"
    report = run_batch(BatchConfig(inputs=(str(tmp_path / "c.jsonl"),), output=str(out), jobs=1, cleaner_options=OPTIONS))
    assert report.ok and report.pages_out == 10
    file = pq.ParquetFile(out)
    assert file.num_row_groups == 4 and file.metadata.num_rows == 10
    assert [r["id"] for r in file.read().to_pylist()] == list(range(10))


def test_a_parquet_output_resumes_where_it_stopped(tmp_path):
    records = [{"id": i, "text": SEEDS[i % 3].read_text(encoding="utf-8") + f"\nLine {i}."} for i in range(7)]
    write_parquet(tmp_path / "c.parquet", records)
    out = tmp_path / "out.parquet"
    config = BatchConfig(inputs=(str(tmp_path / "c.parquet"),), output=str(out), jobs=1, cleaner_options=OPTIONS)
    whole = run_batch(config)
    expected = pq.read_table(out)
    out.unlink()

    interrupt_at(config, 5, checkpoint_every=2)
    part = tmp_path / "out.parquet.part"
    assert not out.exists() and part.is_dir()  # Ctrl-C saved a checkpoint: 5 pages, in complete files
    assert json.loads((tmp_path / "out.parquet.resume.json").read_text())["done"] == 5
    (part / parquet.CHUNK_NAME.format(len(list(part.iterdir())))).write_bytes(b"PAR1 cut short by a crash")
    resumed = run_batch(BatchConfig(**{**config.__dict__, "resume": True}))
    assert resumed.skipped_done == 5 and resumed.pages_in == 2 and whole.pages_out == 7
    assert pq.read_table(out).equals(expected)
    assert not (tmp_path / "out.parquet.part").exists() and not (tmp_path / "out.parquet.resume.json").exists()


def test_without_pyarrow_one_line_says_how_to_install_it(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "c.jsonl", seed_records())
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    result = invoke(str(tmp_path / "c.jsonl"), "-o", str(tmp_path / "out.parquet"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "clean: Parquet inputs and outputs need pyarrow: pip install 'cleaner[parquet]'"
    ]
    assert not (tmp_path / "out.parquet").exists()


def test_parquet_options_that_do_not_go(tmp_path):
    write_parquet(tmp_path / "a.parquet", [{"text": "x"}])
    write_parquet(tmp_path / "b.parquet", [{"body": "x"}])
    result = invoke(str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"), "-o", str(tmp_path / "o.jsonl"))
    assert result.exit_code == 2 and "other columns" in result.stderr
    result = invoke("--input-format", "parquet", "-", "-o", str(tmp_path / "o.jsonl"), input=b"")
    assert result.exit_code == 2 and "not standard input" in result.stderr
    result = invoke(str(tmp_path / "a.parquet"), "-o", str(tmp_path / "o.txt"))
    assert result.exit_code == 2 and "NAME.parquet" in result.stderr


def test_a_cleaned_dask_dataframe_is_written_as_parquet(tmp_path, engine):
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd

    from cleaner.dask import clean_dataframe

    texts = [SEEDS[0].read_text(encoding="utf-8"), SEEDS[1].read_text(encoding="utf-8")]
    frame = dd.from_pandas(pd.DataFrame({"id": [0, 1], "text": texts}), npartitions=2)
    clean_dataframe(frame, autoload=False).to_parquet(str(tmp_path / "out"), write_index=False)
    rows = sorted(pq.read_table(tmp_path / "out").to_pylist(), key=lambda r: r["id"])
    assert [r["text"] for r in rows] == [engine.clean(t).text for t in texts]
    assert json.loads(rows[0][RESULT_FIELD])["title"] == engine.clean(texts[0]).title
