"""Batch runs: folders, globs, JSONL and WARC/WET in and out, the CLI's routing, determinism."""

from __future__ import annotations

import gzip
import io
import json
import os
import pathlib
import shutil
import stat

import pytest
from click.testing import CliRunner

from cleaner import Cleaner, hookimpl
from cleaner.batch import RESULT_FIELD, BatchConfig, LocalPool, Settings, run_batch
from cleaner.cli import clean_command
from cleaner.sources import InputKind, Task, TaskMode, glob_base, kind_of

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (ROOT / "fixtures").glob("[0-9][0-9][0-9]_*.txt") if not p.name.endswith(".expected.txt"))
OPTIONS = {"autoload": False}


class SeenUrl:
    """Puts the URL the engine was given into the metadata, to show what a page got."""

    @hookimpl
    def cleaner_metadata(self, doc, decisions):
        return {"seen_url": doc.url, "seen_kind": doc.kind.value}


@pytest.fixture(autouse=True)
def no_autoload(monkeypatch):
    monkeypatch.setenv("CLEANER_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture(scope="module")
def engine():
    return Cleaner(autoload=False)


def expected_text(engine, path) -> bytes:
    data = pathlib.Path(path).read_bytes()
    return (engine.clean(data, filename=str(path)).text + "\n").encode()


def make_tree(root: pathlib.Path) -> pathlib.Path:
    """pages/ with the seeds at the top, in sub/ and sub/deeper/, a hidden file and a gzipped page."""
    pages = root / "pages"
    (pages / "sub" / "deeper").mkdir(parents=True)
    shutil.copy(SEEDS[0], pages / "a.txt")
    shutil.copy(SEEDS[1], pages / "sub" / "b.txt")
    shutil.copy(SEEDS[2], pages / "sub" / "deeper" / "c.txt")
    (pages / ".hidden.txt").write_text("not a page to clean\n")
    (pages / "sub" / "d.txt.gz").write_bytes(gzip.compress(SEEDS[2].read_bytes()))
    return pages


def invoke(*args, input=None):
    return CliRunner().invoke(clean_command, list(args), input=input, catch_exceptions=False)


def write_jsonl(path: pathlib.Path, records, extra_lines=()):
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        for line in extra_lines:
            fh.write(line + "\n")


# The three seeds of the policy, each with a URL of its site (named: a new fixture changes nothing here).
SEED_URLS = {
    "000_6dfaa3aae3de5004.txt": "https://www.devdiscourse.com/article/x",
    "001_a0e1f8a55c835643.txt": "https://example.org/ani",
    "002_f41431c53fcb015d.txt": "https://www.pravda.com.ua/eng/news/y/",
}


def seed_records():
    return [
        {"id": i, "url": url, "lang": "en", "text": (ROOT / "fixtures" / name).read_text(encoding="utf-8"), "nested": {"k": [i]}}
        for i, (name, url) in enumerate(SEED_URLS.items())
    ]


# -- folders and globs ------------------------------------------------------------------------


def test_folder_is_cleaned_into_out_with_the_same_relative_paths(tmp_path, engine):
    pages = make_tree(tmp_path)
    out = tmp_path / "out"
    result = invoke(str(pages), "-o", str(out), "--jobs", "2")
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["a.txt", "sub/b.txt", "sub/d.txt.gz", "sub/deeper/c.txt"]
    # each output is what `clean FILE` prints for that file
    assert (out / "a.txt").read_bytes() == expected_text(engine, pages / "a.txt")
    assert (out / "sub" / "b.txt").read_bytes() == expected_text(engine, pages / "sub" / "b.txt")
    assert (out / "sub" / "deeper" / "c.txt").read_bytes() == expected_text(engine, pages / "sub" / "deeper" / "c.txt")
    # a gzipped page is read and written gzipped
    assert gzip.decompress((out / "sub" / "d.txt.gz").read_bytes()) == expected_text(engine, SEEDS[2])
    assert "4 pages in, 4 out, 0 failed" in result.stderr
    assert "removed:" in result.stderr and "nav" in result.stderr


def test_outputs_get_the_usual_permissions_and_existing_ones_are_replaced(tmp_path):
    pages = make_tree(tmp_path)
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / "b.txt").write_text("an older output")
    assert invoke(str(pages), "-o", str(out)).exit_code == 0
    mask = os.umask(0o022)
    os.umask(mask)
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) == 4 and all(stat.S_IMODE(p.stat().st_mode) == 0o666 & ~mask for p in written)
    assert "an older output" not in (out / "sub" / "b.txt").read_text()


def test_quoted_glob_is_expanded_relative_to_its_folder(tmp_path, engine):
    pages = make_tree(tmp_path)
    out = tmp_path / "out"
    result = invoke(str(pages / "**" / "*.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]
    assert (out / "sub" / "b.txt").read_bytes() == expected_text(engine, pages / "sub" / "b.txt")


def test_glob_base_is_the_path_before_the_first_wildcard():
    assert glob_base("pages/**/*.txt") == "pages"
    assert glob_base("a/b*/c/*.txt") == "a"
    assert glob_base("*.txt") == "."
    assert glob_base("/data/x/*.txt") == "/data/x"


def test_format_json_writes_one_json_per_page(tmp_path, engine):
    pages = make_tree(tmp_path)
    out = tmp_path / "out"
    result = invoke(str(pages), "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["a.txt.json", "sub/b.txt.json", "sub/d.txt.json.gz", "sub/deeper/c.txt.json"]
    data = json.loads((out / "a.txt.json").read_text())
    assert data["source"] == str(pages / "a.txt")
    assert data["text"] == engine.clean(SEEDS[0].read_bytes()).text
    assert {r["category"] for r in data["removed"]} >= {"nav", "trending"}
    assert json.loads(gzip.decompress((out / "sub" / "d.txt.json.gz").read_bytes()))["text"]


def test_a_folder_without_output_says_to_add_one(tmp_path):
    pages = make_tree(tmp_path)
    result = invoke(str(pages))
    assert result.exit_code == 2  # a usage error, as with any batch option
    assert "is a folder: add -o OUT/" in result.stderr and result.stderr.count("\n") == 1
    result = invoke(str(pages), "--jobs", "2")
    assert result.exit_code == 2
    assert "is a folder: add -o OUT/" in result.stderr
    assert "Traceback" not in result.output


def test_one_file_with_output_file(tmp_path, engine):
    out = tmp_path / "clean.txt"
    result = invoke(str(SEEDS[0]), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == expected_text(engine, SEEDS[0])


def test_output_folder_inside_the_input_folder_is_not_cleaned_again(tmp_path):
    pages = make_tree(tmp_path)
    out = pages / "cleaned"
    assert invoke(str(pages), "-o", str(out)).exit_code == 0
    result = invoke(str(pages), "-o", str(out))
    assert result.exit_code == 0
    assert not (out / "cleaned").exists()
    assert "4 pages in" in result.stderr


def test_two_files_with_one_name_do_not_overwrite_each_other(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    shutil.copy(SEEDS[0], tmp_path / "x" / "page.txt")
    shutil.copy(SEEDS[1], tmp_path / "y" / "page.txt")
    out = tmp_path / "out"
    result = invoke(str(tmp_path / "x" / "page.txt"), str(tmp_path / "y" / "page.txt"), "-o", str(out))
    assert result.exit_code == 1
    assert "already another page's" in result.stderr
    assert (out / "page.txt").read_text().startswith("US Labels North Korean Soldiers")


def test_several_files_on_stdout_in_parallel_print_as_one_at_a_time(tmp_path):
    files = [str(p) for p in SEEDS]
    sequential = invoke(*files)
    parallel = invoke(*files, "--jobs", "2")
    assert sequential.exit_code == parallel.exit_code == 0
    assert parallel.stdout == sequential.stdout
    assert "==> " in parallel.stdout
    seq_json = invoke("--format", "json", *files)
    par_json = invoke("--format", "json", "--jobs", "2", *files)
    assert par_json.stdout == seq_json.stdout


def test_explain_does_not_go_with_a_batch(tmp_path):
    result = invoke("--explain", str(SEEDS[0]), "-o", str(tmp_path / "o.txt"))
    assert result.exit_code == 2
    assert "--explain" in result.stderr


def test_single_file_without_batch_options_keeps_the_plain_path(tmp_path, engine):
    result = invoke(str(SEEDS[0]))
    assert result.exit_code == 0
    assert result.stdout.encode() == expected_text(engine, SEEDS[0])
    assert result.stderr == ""  # no batch summary


# -- JSONL ------------------------------------------------------------------------------------


def test_jsonl_keeps_every_field_and_adds_the_result(tmp_path, engine):
    corpus = tmp_path / "corpus.jsonl"
    records = seed_records()
    write_jsonl(corpus, records)
    out = tmp_path / "cleaned.jsonl"
    result = invoke(str(corpus), "--text-field", "text", "--url-field", "url", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [0, 1, 2]
    for row, rec in zip(rows, records, strict=False):
        assert row["lang"] == "en" and row["nested"] == rec["nested"] and row["url"] == rec["url"]
        assert list(row)[: len(rec)] == list(rec)  # field order kept, result appended
        cleaned = engine.clean(rec["text"], url=rec["url"])
        assert row["text"] == cleaned.text
        summary = row[RESULT_FIELD]
        assert summary["removed"] == cleaned.removals_by_category()
        assert summary["title"] == cleaned.title
        assert summary["metadata"]["url"] == rec["url"]
    assert not (tmp_path / "cleaned.errors.jsonl").exists()


def test_jsonl_url_field_reaches_the_plugins(tmp_path):
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, [{"page": "Headline\n\nBody paragraph here.", "link": "https://example.com/p"}])
    out = tmp_path / "o.jsonl"
    report = run_batch(
        BatchConfig(
            inputs=(str(corpus),),
            output=str(out),
            text_field="page",
            url_field="link",
            jobs=1,
            cleaner_options={**OPTIONS, "plugins": [SeenUrl()]},
        )
    )
    assert report.ok
    row = json.loads(out.read_text())
    assert row[RESULT_FIELD]["metadata"]["seen_url"] == "https://example.com/p"
    assert row["page"].startswith("Headline")


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_compressed_jsonl_in_and_out(tmp_path, suffix):
    import zstandard

    plain = tmp_path / "corpus.jsonl"
    write_jsonl(plain, seed_records())
    data = plain.read_bytes()
    packed = tmp_path / f"corpus.jsonl{suffix}"
    packed.write_bytes(gzip.compress(data) if suffix == ".gz" else zstandard.ZstdCompressor().compress(data))
    ref = tmp_path / "ref.jsonl"
    assert invoke(str(plain), "-o", str(ref)).exit_code == 0
    out = tmp_path / f"out.jsonl{suffix}"
    result = invoke(str(packed), "-o", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    if suffix == ".gz":
        assert raw[:2] == b"\x1f\x8b"
        unpacked = gzip.decompress(raw)
    else:
        assert raw[:4] == b"\x28\xb5\x2f\xfd"
        unpacked = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw), read_across_frames=True).read()
    assert unpacked == ref.read_bytes()


def test_bad_records_are_listed_and_the_rest_is_cleaned(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(
        corpus,
        seed_records()[:2],
        extra_lines=[
            "{not json",
            json.dumps({"id": 9, "body": "no text field"}),
            "",
            json.dumps([1, 2]),
            json.dumps({"id": 10, "text": 5}),
        ],
    )
    with open(corpus, "ab") as fh:
        fh.write(b'{"id": 11, "text": "\xff\xfe broken utf-8"}\n')
    write_jsonl(tmp_path / "tail.jsonl", seed_records()[2:])
    corpus.write_bytes(corpus.read_bytes() + (tmp_path / "tail.jsonl").read_bytes())
    out = tmp_path / "cleaned.jsonl"
    result = invoke(str(corpus), "-o", str(out))
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [0, 1, 2]
    errors = [json.loads(line) for line in (tmp_path / "cleaned.errors.jsonl").read_text().splitlines()]
    assert [e["source"] for e in errors] == [f"{corpus}:{n}" for n in (3, 4, 6, 7, 8)]
    reasons = [e["reason"] for e in errors]
    assert "not JSON" in reasons[0]
    assert "no 'text' field" in reasons[1]
    assert "array, not an object" in reasons[2]
    assert "number, not a string" in reasons[3]
    assert "not UTF-8" in reasons[4]
    assert "8 pages in, 3 out, 5 failed" in result.stderr
    assert "cleaned.errors.jsonl" in result.stderr


def test_jsonl_from_stdin_to_stdout(tmp_path):
    lines = "".join(json.dumps(r) + "\n" for r in seed_records())
    result = invoke("--input-format", "jsonl", "-", input=lines)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [0, 1, 2] and all(RESULT_FIELD in r for r in rows)


def test_records_need_a_jsonl_output_name(tmp_path):
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, seed_records())
    result = invoke(str(corpus), "-o", str(tmp_path / "out/"))
    assert result.exit_code == 2
    assert "-o NAME.jsonl" in result.stderr


def test_pages_and_records_do_not_mix(tmp_path):
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, seed_records())
    result = invoke(str(corpus), str(SEEDS[0]), "-o", str(tmp_path / "o.jsonl"))
    assert result.exit_code == 2
    assert "cannot be cleaned in one run" in result.stderr


def test_input_kinds_by_name():
    assert kind_of("x.jsonl") is InputKind.JSONL
    assert kind_of("x.ndjson.zst") is InputKind.JSONL
    assert kind_of("CC-MAIN-2024-00001.warc.wet.gz") is InputKind.WARC
    assert kind_of("a.warc") is InputKind.WARC
    assert kind_of("page.txt.gz") is InputKind.PAGES


# -- WARC and WET -----------------------------------------------------------------------------


def write_wet(path, pages):
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=str(path).endswith(".gz"))
        writer.write_record(
            writer.create_warc_record(
                "", "warcinfo", payload=io.BytesIO(b"software: test\r\n"), warc_content_type="application/warc-fields"
            )
        )
        for url, text in pages:
            writer.write_record(
                writer.create_warc_record(
                    url, "conversion", payload=io.BytesIO(text.encode("utf-8")), warc_content_type="text/plain"
                )
            )


def write_warc(path, responses):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, content_type, body, status in responses:
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.com")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=req))


def test_wet_records_are_cleaned_with_their_urls(tmp_path, engine):
    records = seed_records()
    wet = tmp_path / "CC-MAIN-test.warc.wet.gz"
    write_wet(wet, [(r["url"], r["text"]) for r in records])
    out = tmp_path / "cleaned.jsonl"
    report = run_batch(
        BatchConfig(inputs=(str(wet),), output=str(out), jobs=2, cleaner_options={**OPTIONS, "plugins": [SeenUrl()]})
    )
    assert report.ok and report.pages_out == 3 and report.skipped_other == 1  # the warcinfo record
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["url"] for r in rows] == [r["url"] for r in records]
    for row, rec in zip(rows, records, strict=False):
        assert row["warc_type"] == "conversion" and row["warc_record_id"].startswith("<urn:uuid:")
        assert row[RESULT_FIELD]["metadata"]["seen_url"] == rec["url"]
        assert row[RESULT_FIELD]["kind"] == "text"
        assert row["text"] == engine.clean(rec["text"], url=rec["url"]).text


def test_warc_html_responses_go_through_html_mode(tmp_path):
    html = (
        b"<html><head><title>Big news</title></head><body><nav><a href='/'>Home</a></nav>"
        b"<article><h1>Big news</h1><p>" + b"A long paragraph of the article body. " * 8 + b"</p></article></body></html>"
    )
    warc = tmp_path / "crawl.warc.gz"
    write_warc(
        warc,
        [
            ("https://example.com/a", "text/html; charset=utf-8", html, "200 OK"),
            ("https://example.com/logo.png", "image/png", b"\x89PNG\r\n", "200 OK"),
            ("https://example.com/gone", "text/html", b"<html>moved</html>", "301 Moved Permanently"),
        ],
    )
    out = tmp_path / "cleaned.jsonl"
    result = CliRunner().invoke(clean_command, [str(warc), "-o", str(out), "-j", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1
    assert rows[0]["url"] == "https://example.com/a" and rows[0]["warc_type"] == "response"
    assert rows[0][RESULT_FIELD]["kind"] == "html"
    assert "A long paragraph of the article body." in rows[0]["text"]
    assert "<p>" not in rows[0]["text"]
    assert "5 records not pages (skipped)" in result.stderr  # 3 requests, the image, the redirect


def test_warc_response_kind_and_url_reach_the_engine(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(
        warc, [("https://example.com/a", "application/xhtml+xml", b"<html><body><p>Hello there.</p></body></html>", "200 OK")]
    )
    out = tmp_path / "o.jsonl"
    report = run_batch(
        BatchConfig(inputs=(str(warc),), output=str(out), jobs=1, cleaner_options={**OPTIONS, "plugins": [SeenUrl()]})
    )
    assert report.ok, report.failures
    meta = json.loads(out.read_text())[RESULT_FIELD]["metadata"]
    assert meta["seen_url"] == "https://example.com/a" and meta["seen_kind"] == "html"


def test_a_corrupt_warc_is_a_listed_failure(tmp_path):
    good = tmp_path / "good.warc.wet.gz"
    write_wet(good, [("https://example.com/x", "Headline\n\nA paragraph of text.")])
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(good.read_bytes()[:-40])  # cut in the middle of the last record
    out = tmp_path / "o.jsonl"
    result = invoke(str(bad), str(good), "-o", str(out))
    assert result.exit_code == 1
    assert len(out.read_text().splitlines()) == 1
    assert "bad.warc.gz" in result.stderr and "Traceback" not in result.output


# -- determinism and bounded memory -----------------------------------------------------------


def test_same_output_for_any_number_of_jobs(tmp_path):
    pages = make_tree(tmp_path)
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, seed_records() * 4, extra_lines=["{bad"])
    outputs = {}
    for jobs in (1, 2):
        folder = tmp_path / f"out{jobs}"
        records = tmp_path / f"out{jobs}.jsonl.gz"
        assert invoke(str(pages), "-o", str(folder), "-j", str(jobs)).exit_code == 0
        assert invoke(str(corpus), "-o", str(records), "-j", str(jobs)).exit_code == 1
        outputs[jobs] = (
            {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()},
            records.read_bytes(),
            (tmp_path / f"out{jobs}.errors.jsonl").read_bytes(),
        )
    assert outputs[1] == outputs[2]


def test_the_pool_reads_ahead_only_a_bounded_window():
    pulled = 0

    def tasks():
        nonlocal pulled
        for n in range(300):
            pulled += 1
            yield Task(n, f"t{n}", TaskMode.JSON_LINE, content=json.dumps({"text": f"Line {n}\n\nBody {n}."}).encode())

    from cleaner.batch import IN_FLIGHT_PER_WORKER

    ahead = []
    with LocalPool(2, OPTIONS, Settings(), timeout=None) as pool:
        for emitted, (task, outcome) in enumerate(pool.run(tasks()), 1):
            assert outcome.ok and task.seq == emitted - 1
            ahead.append(pulled - emitted)
    assert len(ahead) == 300
    assert max(ahead) <= 2 * IN_FLIGHT_PER_WORKER


def test_progress_callback_sees_pages_and_totals(tmp_path):
    pages = make_tree(tmp_path)
    seen = []
    run_batch(
        BatchConfig(inputs=(str(pages),), output=str(tmp_path / "o"), jobs=1, cleaner_options=OPTIONS),
        progress=lambda report, meter: seen.append((report.pages_in, meter.done, meter.total)),
    )
    assert seen[-1] == (4, 4, 4)


def test_progress_bar_option_runs(tmp_path):
    pages = make_tree(tmp_path)
    result = invoke(str(pages), "-o", str(tmp_path / "o"), "--progress")
    assert result.exit_code == 0, result.output
    assert "4 pages in" in result.stderr


def test_every_batch_option_is_documented():
    import re

    from cleaner.cli_batch import _BATCH_OPTIONS

    guide = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(--[a-z-]+)", guide, re.M)) | set(re.findall(r"^\| `-\w`, `(--[a-z-]+)", guide, re.M))
    for decorator in _BATCH_OPTIONS:
        options = decorator(lambda: None).__click_params__  # type: ignore[attr-defined]  # where click's decorators put them
        names = [o for o in options[0].opts if o.startswith("--")]
        assert set(names) & documented, names


# -- the same output across --jobs, on generated pages ----------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cleaner.batch import Render, process  # noqa: E402

_LINES = [
    "Advertisement",
    "TRENDING",
    "1",
    "Share this article",
    "© 2024 Example Media",
    "Home | News | Sport",
    "Related articles",
    "19:02",
    "By Jane Doe | 12 March 2024",
    "Photo: Getty Images",
    "|",
    "Укр Рус Eng",
    "The council approved the budget after a long debate on Tuesday evening, officials said.",
    "Рада ухвалила бюджет після довгих дебатів у вівторок увечері, повідомили посадовці.",
    "Le conseil a approuvé le budget après un long débat mardi soir, selon les responsables.",
]
_pages = st.lists(st.lists(st.one_of(st.sampled_from(_LINES), st.just("")), max_size=30).map("\n".join), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def pools():
    one = LocalPool(1, OPTIONS, Settings(Render.RECORD), timeout=None)
    two = LocalPool(2, OPTIONS, Settings(Render.RECORD), timeout=None)
    with one, two:
        yield one, two


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pages=_pages)
def test_generated_pages_give_the_same_records_on_one_and_two_workers(pools, engine, pages):
    tasks = [Task(n, f"p{n}", TaskMode.JSON_LINE, content=json.dumps({"text": t}).encode()) for n, t in enumerate(pages)]
    one, two = (list(pool.run(tasks)) for pool in pools)
    assert [o.payload for _, o in one] == [o.payload for _, o in two]
    # and both are what cleaning in this process gives
    assert [o.payload for _, o in one] == [process(engine, t, Settings(Render.RECORD)).payload for t in tasks]


def test_progress_options_and_the_batch_path(tmp_path, engine):
    out = tmp_path / "o.txt"
    result = invoke(str(SEEDS[0]), "-o", str(out), "--no-progress")
    assert result.exit_code == 0 and out.read_bytes() == expected_text(engine, SEEDS[0])
    assert "1 page in" in invoke(str(SEEDS[0]), "--progress").stderr  # a bar asked for: a batch
    plain = invoke(str(SEEDS[0]), "--no-progress")
    assert plain.exit_code == 0 and plain.stderr == ""
