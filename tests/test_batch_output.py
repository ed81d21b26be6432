"""What a batch writes: pages into JSONL, names that mean a file, HTML pages as .txt, record fields,
the whole result in records, and the options that do not go with the inputs (issue 18)."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest
from test_batch import SEEDS, engine, expected_text, invoke, make_tree, no_autoload, seed_records, write_jsonl  # noqa: F401 - the fixtures

from cleaner.batch import RESULT_FIELD, BatchConfig, run_batch

ARTICLE = (
    "<html><head><title>Big news</title></head><body><nav><a href='/'>Home</a></nav><article><h1>Big news</h1>"
    "<p>" + "A long paragraph of the article body, with words enough to read as prose. " * 6 + "</p>"
    "</article></body></html>"
)


def rows(path):
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return [json.loads(line) for line in raw.decode().splitlines()]


# -- a folder of pages into JSONL --------------------------------------------------------------


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz"])
def test_a_folder_of_pages_becomes_jsonl_one_record_a_page_with_its_path(tmp_path, engine, name):
    pages = make_tree(tmp_path)
    out = tmp_path / name
    result = invoke(str(pages), "-o", str(out), "-j", "2")
    assert result.exit_code == 0, result.output
    assert out.is_file()  # never a folder
    got = rows(out)
    paths = [pages / "a.txt", pages / "sub" / "b.txt", pages / "sub" / "d.txt.gz", pages / "sub" / "deeper" / "c.txt"]
    assert [r["path"] for r in got] == [str(p) for p in paths]
    for row, path in zip(got, paths, strict=False):
        assert list(row) == ["path", "text", RESULT_FIELD]
        assert (row["text"] + "\n").encode() == expected_text(engine, SEEDS[2] if path.name == "d.txt.gz" else path)
        assert sum(row[RESULT_FIELD]["removed"].values()) >= 1 and row[RESULT_FIELD]["kind"] == "text"
    assert "4 pages in, 4 out, 0 failed" in result.stderr


def test_one_page_into_jsonl_is_one_record_with_its_url(tmp_path):
    out = tmp_path / "one.jsonl"
    result = invoke(str(SEEDS[0]), "--url", "https://www.devdiscourse.com/article/1", "-o", str(out))
    assert result.exit_code == 0, result.output
    (row,) = rows(out)
    assert row["path"] == str(SEEDS[0]) and row["url"] == "https://www.devdiscourse.com/article/1"
    assert row[RESULT_FIELD]["metadata"]["site"] == "devdiscourse"


def test_pages_into_jsonl_resume_where_they_stopped(tmp_path):
    pages = make_tree(tmp_path)
    out = tmp_path / "out.jsonl"
    config = BatchConfig(inputs=(str(pages),), output=str(out), jobs=1, cleaner_options={"autoload": False})
    whole = run_batch(config)
    assert whole.pages_out == 4
    expected = out.read_bytes()
    out.unlink()
    import cleaner.batch

    cleaner.batch.CHECKPOINT_EVERY = 2
    try:
        with pytest.raises(KeyboardInterrupt):
            run_batch(config, progress=lambda report, meter: _interrupt_at(report, 3))
    finally:
        cleaner.batch.CHECKPOINT_EVERY = 1000
    resumed = run_batch(BatchConfig(**{**config.__dict__, "resume": True}))
    assert resumed.skipped_done >= 2 and resumed.pages_in + resumed.skipped_done == 4
    assert out.read_bytes() == expected


def _interrupt_at(report, pages):
    if report.pages_in == pages:
        raise KeyboardInterrupt


@pytest.mark.parametrize("name", ["out.json", "out.txt", "out.txt.gz", "notes.md"])
def test_a_name_that_means_a_file_never_becomes_a_folder(tmp_path, name):
    pages = make_tree(tmp_path)
    result = invoke(str(pages), "-o", str(tmp_path / name))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "names one file" in result.stderr and "-o NAME.jsonl" in result.stderr
    assert not (tmp_path / name).exists()
    # a trailing slash says a folder is meant
    assert invoke(str(pages), "-o", str(tmp_path / name) + "/").exit_code == 0
    assert (tmp_path / name / "a.txt").is_file()


# -- HTML pages into a folder ----------------------------------------------------------------


def test_html_pages_cleaned_into_a_folder_are_named_txt(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "story.html").write_text(ARTICLE)
    (pages / "old.HTM").write_text(ARTICLE)
    (pages / "packed.html.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    shutil.copy(SEEDS[0], pages / "plain.txt")
    out = tmp_path / "out"
    assert invoke(str(pages), "-o", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["old.txt", "packed.txt.gz", "plain.txt", "story.txt"]
    text = (out / "story.txt").read_text()
    assert "A long paragraph" in text and "<p>" not in text
    assert gzip.decompress((out / "packed.txt.gz").read_bytes()).decode() == text
    # JSON keeps the name and adds .json
    assert invoke(str(pages), "-o", str(tmp_path / "js"), "--format", "json").exit_code == 0
    assert (tmp_path / "js" / "story.html.json").is_file()


def test_an_html_page_and_a_text_page_of_one_stem_do_not_overwrite_each_other(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(ARTICLE)
    shutil.copy(SEEDS[0], pages / "a.txt")
    result = invoke(str(pages), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "already another page's" in result.stderr


# -- JSONL records: --output-field, --format json --------------------------------------------


def test_output_field_keeps_the_page_beside_the_cleaned_text(tmp_path, engine):
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, [{"id": 1, "html": ARTICLE}, {"id": 2, "html": SEEDS[0].read_text(encoding="utf-8")}])
    out = tmp_path / "o.jsonl"
    result = invoke(str(corpus), "--text-field", "html", "--output-field", "text", "-o", str(out))
    assert result.exit_code == 0, result.output
    got = rows(out)
    assert [r["html"] for r in got] == [ARTICLE, SEEDS[0].read_text(encoding="utf-8")]
    assert [list(r) for r in got] == [["id", "html", "text", RESULT_FIELD]] * 2
    assert got[0]["text"] == engine.clean(ARTICLE).text and got[0][RESULT_FIELD]["kind"] == "html"
    assert got[1]["text"] == engine.clean(SEEDS[0].read_text(encoding="utf-8")).text


def test_format_json_puts_the_whole_result_in_each_record(tmp_path, engine):
    corpus = tmp_path / "c.jsonl"
    records = seed_records()
    write_jsonl(corpus, records)
    out = tmp_path / "o.jsonl"
    result = invoke(str(corpus), "--url-field", "url", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    for row, record in zip(rows(out), records, strict=False):
        cleaned = engine.clean(record["text"], url=record["url"])
        assert row["text"] == cleaned.text
        whole = cleaned.to_dict()
        assert row[RESULT_FIELD] == {k: v for k, v in whole.items() if k not in ("text", "body")}
        first = row[RESULT_FIELD]["removed"][0]
        assert set(first) == {"line", "text", "category", "reason", "plugin"} and first["line"] >= 1
    # the summary without it
    assert invoke(str(corpus), "-o", str(tmp_path / "s.jsonl")).exit_code == 0
    assert all(isinstance(r[RESULT_FIELD]["removed"], dict) for r in rows(tmp_path / "s.jsonl"))


def test_pages_into_jsonl_with_format_json_get_the_whole_result(tmp_path):
    out = tmp_path / "o.jsonl"
    assert invoke(str(SEEDS[0]), "--format", "json", "-o", str(out)).exit_code == 0
    (row,) = rows(out)
    assert isinstance(row[RESULT_FIELD]["removed"], list) and row[RESULT_FIELD]["removed"][0]["category"] == "nav"


# -- no option ignored silently ---------------------------------------------------------------


def _warc(path):
    from test_batch import write_wet

    write_wet(path, [("https://example.com/x", "Headline\n\nA paragraph of text.")])
    return path


@pytest.mark.parametrize(
    "args, words",
    [
        (lambda t: [str(SEEDS[0]), "--text-field", "body", "-o", str(t / "o.txt")], "--text-field names a field"),
        (lambda t: [str(SEEDS[0]), "--output-field", "clean", "-o", str(t / "o.jsonl")], "--output-field names a field"),
        (lambda t: [str(_warc(t / "c.warc.wet.gz")), "--url-field", "u", "-o", str(t / "o.jsonl")], "WARC records"),
        (lambda t: [str(_warc(t / "c.warc.wet.gz")), "--kind", "html", "-o", str(t / "o.jsonl")], "--kind does not go"),
        (lambda t: [str(SEEDS[0]), "--color"], "--color"),
        (lambda t: [str(SEEDS[0]), "--explain", "--format", "json", "--color"], "--color"),
        (lambda t: [str(SEEDS[0]), "--explain", "-o", str(t / "o.txt")], "--explain"),
    ],
)
def test_an_option_the_inputs_have_no_use_for_is_a_usage_error(tmp_path, args, words):
    result = invoke(*args(tmp_path))
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and words in result.stderr and result.stdout == ""


def test_explain_with_format_json_includes_every_decision(engine):
    result = invoke("--explain", "--format", "json", str(SEEDS[0]))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    cleaned = engine.clean(SEEDS[0].read_bytes(), filename=str(SEEDS[0]))
    assert data["text"] == cleaned.text
    decisions = data["decisions"]
    assert [d["line"] for d in decisions] == [d.block.lineno for d in cleaned.decisions]
    assert [d["keep"] for d in decisions] == [d.keep for d in cleaned.decisions]
    dropped = [d for d in decisions if not d["keep"]]
    assert [(d["line"], d["category"], d["reason"], d["plugin"]) for d in dropped] == [
        (r["line"], r["category"], r["reason"], r["plugin"]) for r in data["removed"]
    ]
    assert sum(d["headline"] for d in decisions) == 1
    assert [d for d in decisions if d["headline"]][0]["text"] == cleaned.title
    # several pages: one line each, with decisions
    several = invoke("--explain", "--format", "json", str(SEEDS[0]), str(SEEDS[1]))
    lines = several.stdout.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["decisions"] for line in lines)
    assert "decisions" not in json.loads(invoke("--format", "json", str(SEEDS[0])).stdout)
