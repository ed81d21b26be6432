"""The Dask integration, on a small in-process distributed.LocalCluster: same output as a local run."""

from __future__ import annotations

import json
import pathlib
import shutil
from typing import Any

import pytest

dask = pytest.importorskip("dask", reason="the 'dask' extra is not installed")
distributed = pytest.importorskip("distributed", reason="the 'dask' extra is not installed")
pytestmark = pytest.mark.slow  # a LocalCluster

from click.testing import CliRunner  # noqa: E402

from cleaner.batch import RESULT_FIELD, BatchConfig, dump_record, run_batch  # noqa: E402
from cleaner.cli import clean_command  # noqa: E402
from cleaner.dask import clean_bag, clean_dataframe, clean_records, to_jsonl, worker_cleaner  # noqa: E402
from cleaner.errors import ConfigError  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (ROOT / "fixtures").glob("[0-9][0-9][0-9]_*.txt") if not p.name.endswith(".expected.txt"))
OPTIONS: dict[str, Any] = {"autoload": False}
URLS = ["https://www.devdiscourse.com/article/x", "https://example.org/ani", "https://www.pravda.com.ua/eng/news/y/"]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as lc:
        with distributed.Client(lc) as client:
            yield lc, client


@pytest.fixture(autouse=True)
def no_autoload(monkeypatch):
    monkeypatch.setenv("CLEANER_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(9):
            fh.write(json.dumps({"id": i, "url": URLS[i % 3], "text": SEEDS[i % 3].read_text(encoding="utf-8")}) + "\n")
            if i == 4:
                fh.write("{not json\n")
    return path


def local_jsonl(corpus, tmp_path) -> bytes:
    out = tmp_path / "local.jsonl"
    run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), url_field="url", jobs=1, cleaner_options=OPTIONS))
    return out.read_bytes()


def test_clean_bag_gives_the_local_records_bit_for_bit(cluster, corpus, tmp_path):
    import dask.bag as db

    _, client = cluster
    bag = db.read_text(str(corpus), blocksize=2000)  # several partitions
    assert bag.npartitions > 1
    cleaned = clean_bag(bag, url_field="url", errors="drop", **OPTIONS)
    rows = client.compute(cleaned).result()
    assert b"".join(dump_record(r) for r in rows) == local_jsonl(corpus, tmp_path)


def test_clean_bag_marks_a_bad_record(cluster):
    import dask.bag as db

    _, client = cluster
    records = [{"id": 1, "text": SEEDS[0].read_text(encoding="utf-8")}, {"id": 2, "body": "no text"}]
    rows = client.compute(clean_bag(db.from_sequence(records, npartitions=2), **OPTIONS)).result()
    assert rows[0][RESULT_FIELD]["removed"]["nav"] >= 1
    assert rows[1] == {
        "id": 2,
        "body": "no text",
        RESULT_FIELD: {"error": "InputError", "reason": "the record has no 'text' field"},
    }


def test_clean_records_can_raise():
    with pytest.raises(ConfigError):
        clean_records([], errors="ignore")
    from cleaner.errors import InputError

    with pytest.raises(InputError):
        clean_records([{"body": "x"}], errors="raise", cleaner_options=OPTIONS)


def test_clean_dataframe_matches_the_local_records(cluster, corpus, tmp_path):
    import dask.dataframe as dd
    import pandas as pd

    _, client = cluster
    records = [json.loads(line) for line in corpus.read_text().splitlines() if line.startswith('{"')]
    frame = dd.from_pandas(pd.DataFrame(records), npartitions=3)
    result = client.compute(clean_dataframe(frame, url_field="url", **OPTIONS)).result()
    local = [json.loads(line) for line in local_jsonl(corpus, tmp_path).splitlines()]
    assert list(result["id"]) == [r["id"] for r in local]
    assert list(result["text"]) == [r["text"] for r in local]
    assert [json.loads(c) for c in result[RESULT_FIELD]] == [r[RESULT_FIELD] for r in local]


def test_clean_dataframe_names_a_missing_column(cluster):
    import dask.dataframe as dd
    import pandas as pd

    with pytest.raises(ConfigError, match="no column 'text'"):
        clean_dataframe(dd.from_pandas(pd.DataFrame({"body": ["x"]}), npartitions=1), **OPTIONS)


def test_command_line_on_a_cluster_writes_what_a_local_run_writes(cluster, corpus, tmp_path):
    lc, _ = cluster
    local = tmp_path / "local.jsonl"
    remote = tmp_path / "remote.jsonl"
    runner = CliRunner()
    first = runner.invoke(clean_command, [str(corpus), "--url-field", "url", "-o", str(local), "-j", "2"])
    second = runner.invoke(
        clean_command, [str(corpus), "--url-field", "url", "-o", str(remote), "--dask-scheduler", lc.scheduler_address]
    )
    assert first.exit_code == second.exit_code == 1, second.output  # the broken line
    assert remote.read_bytes() == local.read_bytes()
    assert (tmp_path / "remote.errors.jsonl").read_text().replace("remote", "local") == (
        tmp_path / "local.errors.jsonl"
    ).read_text()
    assert "9 out, 1 failed" in second.stderr


def test_command_line_on_a_cluster_cleans_a_folder(cluster, tmp_path):
    lc, _ = cluster
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    for n, seed in enumerate(SEEDS):
        shutil.copy(seed, pages / ("sub" if n else ".") / f"p{n}.txt")
    runner = CliRunner()
    assert runner.invoke(clean_command, [str(pages), "-o", str(tmp_path / "a")]).exit_code == 0
    result = runner.invoke(clean_command, [str(pages), "-o", str(tmp_path / "b"), "--dask-scheduler", lc.scheduler_address])
    assert result.exit_code == 0, result.output
    for path in (tmp_path / "a").rglob("*.txt"):
        assert (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes() == path.read_bytes()


def test_an_unreachable_scheduler_is_one_clear_error(corpus, tmp_path, monkeypatch):
    import cleaner.dask

    monkeypatch.setattr(cleaner.dask, "CONNECT_TIMEOUT", 1)
    result = CliRunner().invoke(
        clean_command, [str(corpus), "-o", str(tmp_path / "o.jsonl"), "--dask-scheduler", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.stderr


def test_one_cleaner_per_worker_thread_and_options():
    first = worker_cleaner(OPTIONS, "token-a")
    assert worker_cleaner(OPTIONS, "token-a") is first
    assert worker_cleaner({**OPTIONS, "keep": ["caption"]}, "token-b") is not first


def test_the_documented_recipe_writes_files_that_join_into_the_local_jsonl(cluster, corpus, tmp_path):
    import re

    import dask.bag as db

    guide = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    found = re.search(r"^(to_jsonl\(cleaned, .*\))", guide, re.M)
    assert found is not None
    recipe = found.group(1)
    _, client = cluster
    with_blanks = tmp_path / "blanks.jsonl"  # blank lines, and partitions with no record left
    with_blanks.write_text("\n" + corpus.read_text().replace("\n", "\n\n", 3) + "  \n" + "\n" * 3000)
    cleaned = clean_bag(db.read_text(str(with_blanks), blocksize=2000), url_field="url", errors="drop", **OPTIONS)
    assert cleaned.npartitions > 2
    call = recipe.replace('"cleaned/*.jsonl"', repr(str(tmp_path / "cleaned" / "*.jsonl")))
    assert call != recipe
    eval(call, {"cleaned": cleaned, "to_jsonl": to_jsonl})  # computed on the cluster (the default client)
    files = sorted((tmp_path / "cleaned").glob("*.jsonl"), key=lambda p: int(p.stem))
    assert len(files) == cleaned.npartitions and files[-1].read_bytes() == b""
    assert b"".join(p.read_bytes() for p in files) == local_jsonl(corpus, tmp_path)


def test_blank_lines_are_skipped_as_the_command_line_skips_them(corpus, tmp_path):
    lines = corpus.read_text().splitlines(keepends=True)
    rows = clean_records(["\n", *lines[:2], "   \n", b"\n", *lines[2:]], url_field="url", errors="mark", cleaner_options=OPTIONS)
    local = [json.loads(line) for line in local_jsonl(corpus, tmp_path).splitlines()]
    assert [r for r in rows if "error" not in r[RESULT_FIELD]] == local
    assert sum("error" in r[RESULT_FIELD] for r in rows) == 1  # only the broken line


def test_learned_templates_are_a_reduction_with_one_process_s_result(cluster, tmp_path):
    import dask.bag as db
    from test_templates import PROMO, page

    from cleaner.batch import BatchConfig
    from cleaner.batch.learn import learn_inputs
    from cleaner.dask import learn_templates

    path = tmp_path / "site.jsonl"
    records = [{"url": f"https://news.example/{n}", "text": page(n)} for n in range(12)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "\n{not json\n")
    local = learn_inputs(BatchConfig(inputs=(str(path),), url_field="url", cleaner_options=OPTIONS)).templates
    for partitions in (1, 3, 7):
        bag = db.from_sequence(path.read_text().splitlines(), npartitions=partitions)
        templates = learn_templates(bag, url_field="url", **OPTIONS).compute()
        assert templates == local
    site = local.site("news.example")
    assert site is not None and site.pages == 12
    cleaned = clean_bag(db.from_sequence(records, npartitions=3), url_field="url", templates=local, **OPTIONS).compute()
    assert all(PROMO not in r["text"] for r in cleaned)
