"""--dedup and --language: pages cleaned but not written, the same for any --jobs and input form (issue 18)."""

from __future__ import annotations

import json
import os
import random
import shutil

import pytest
from test_batch import OPTIONS, SEEDS, invoke, no_autoload, seed_records, write_jsonl, write_wet  # noqa: F401 - the fixture
from test_batch_parquet import interrupt_at

from cleaner import Cleaner, hookimpl
from cleaner.batch import BatchConfig, run_batch
from cleaner.batch.filters import PageFilter, SeenHashes, page_language, parse_languages
from cleaner.batch.worker import DIGEST_BYTES, Outcome, text_digest
from cleaner.errors import ConfigError

FRENCH = (
    "Le conseil municipal a approuvé le budget\n\n"
    + "Le conseil municipal a approuvé mardi soir le budget de la ville après un long débat sur les écoles, "
    "les transports et le logement, selon les responsables qui ont présenté le projet aux habitants. "
    * 3
    + "\n\nLes travaux commenceront au printemps prochain et dureront deux ans, a précisé la maire.\n"
)


def texts(out):
    return [json.loads(line)["text"] for line in out.read_text().splitlines()]


# -- the hashes ---------------------------------------------------------------------------------


def test_the_digest_is_of_the_text_with_white_space_normalised():
    assert len(text_digest("a b")) == DIGEST_BYTES
    assert text_digest("Headline\n\nBody  of\tthe page.\n") == text_digest("Headline Body of the page.")
    assert text_digest("Headline\n\nBody") != text_digest("Headline\n\nBody.")


def test_the_table_finds_every_hash_and_stays_within_its_bound(tmp_path):
    rng = random.Random(7)
    digests = [rng.randbytes(DIGEST_BYTES) for _ in range(40_000)]
    seen = SeenHashes()
    assert all(seen.add(d) for d in digests)
    assert not any(seen.add(d) for d in digests[::97])
    assert seen.count == 40_000
    assert 16 * seen.count <= 8 * len(seen._slots) <= 32 * seen.count  # 16-32 bytes a distinct page
    assert seen.add(bytes(DIGEST_BYTES)) and not seen.add(bytes(DIGEST_BYTES))  # the all-zero hash is a hash too


def test_the_hashes_file_resumes_from_its_checkpoint(tmp_path):
    path = str(tmp_path / "out.jsonl.seen")
    seen = SeenHashes(path)
    seen.add(text_digest("one"))
    seen.add(text_digest("two"))
    offset = seen.checkpoint()
    seen.add(text_digest("three"))  # after the checkpoint: a resumed run cleans its page again
    seen.checkpoint()
    seen.close()
    resumed = SeenHashes(path, resume_at=offset)
    assert not resumed.add(text_digest("one")) and not resumed.add(text_digest("two"))
    assert resumed.add(text_digest("three"))
    assert os.path.getsize(path) == offset
    resumed.discard()
    assert not os.path.exists(path)


# -- --dedup in runs ----------------------------------------------------------------------------


def duplicated_records():
    records = seed_records()
    again = dict(records[0], id=10, text=records[0]["text"].replace("\n", "\n\n"))  # the same text, spaced otherwise
    other = dict(records[1], id=11)
    return [*records, again, other, dict(records[2], id=12, text=FRENCH)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_dedup_drops_the_later_copies_in_jsonl_for_any_jobs(tmp_path, jobs):
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, duplicated_records())
    out = tmp_path / "out.jsonl"
    result = invoke(str(corpus), "--dedup", "-j", jobs, "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [0, 1, 2, 12]
    assert "6 pages in, 4 out, 0 failed, 2 duplicates dropped" in result.stderr
    assert not (tmp_path / "out.jsonl.seen").exists()
    plain = invoke(str(corpus), "-o", str(tmp_path / "all.jsonl"))
    assert "6 pages in, 6 out" in plain.stderr and "duplicates dropped" not in plain.stderr


def test_dedup_in_every_input_form(tmp_path):
    records = duplicated_records()
    pages = tmp_path / "pages"
    pages.mkdir()
    for r in records:
        (pages / f"{r['id']:02d}.txt").write_text(r["text"], encoding="utf-8")
    result = invoke(str(pages), "--dedup", "-o", str(tmp_path / "folder"))
    assert "2 duplicates dropped" in result.stderr and result.exit_code == 0
    assert sorted(os.listdir(tmp_path / "folder")) == ["00.txt", "01.txt", "02.txt", "12.txt"]

    wet = tmp_path / "crawl.warc.wet.gz"
    write_wet(wet, [(r["url"], r["text"]) for r in records])
    result = invoke(str(wet), "--dedup", "-o", str(tmp_path / "wet.jsonl"))
    assert "2 duplicates dropped" in result.stderr and len(texts(tmp_path / "wet.jsonl")) == 4

    result = invoke(str(pages / "*.txt"), "--dedup", "-j", "2")  # several pages printed
    assert result.stdout.count("==> ") == 4 and "2 duplicates dropped" in result.stderr

    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    pq.write_table(pa.Table.from_pylist([{k: v for k, v in r.items() if k != "nested"} for r in records]), tmp_path / "c.parquet")
    result = invoke(str(tmp_path / "c.parquet"), "--dedup", "-o", str(tmp_path / "out.parquet"))
    assert "2 duplicates dropped" in result.stderr
    assert pq.read_table(tmp_path / "out.parquet").column("id").to_pylist() == [0, 1, 2, 12]


def test_dedup_remembers_the_pages_written_before_a_resume(tmp_path):
    records = duplicated_records()
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, records)
    out = tmp_path / "out.jsonl"
    config = BatchConfig(inputs=(str(corpus),), output=str(out), jobs=1, dedup=True, cleaner_options=OPTIONS)
    whole = run_batch(config)
    expected = out.read_bytes()
    out.unlink()

    interrupt_at(config, 3, checkpoint_every=2)  # the three originals written; their copies come after
    assert (tmp_path / "out.jsonl.seen").stat().st_size == 3 * DIGEST_BYTES
    resumed = run_batch(BatchConfig(**{**config.__dict__, "resume": True}))
    assert resumed.skipped_done == 3 and resumed.duplicates == 2 and whole.duplicates == 2
    assert out.read_bytes() == expected
    assert not (tmp_path / "out.jsonl.seen").exists()


def test_dedup_does_not_resume_a_folder_nor_a_run_without_it(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SEEDS[0], pages / "a.txt")
    result = invoke(str(pages), "--dedup", "--resume", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "--dedup with --resume needs a JSONL or Parquet output" in result.stderr
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, seed_records())
    out = tmp_path / "o.jsonl"
    config = BatchConfig(inputs=(str(corpus),), output=str(out), jobs=1, cleaner_options=OPTIONS)
    interrupt_at(config, 1, checkpoint_every=1)
    with pytest.raises(ConfigError, match="other inputs or options"):  # --dedup shapes the output: another run
        run_batch(BatchConfig(**{**config.__dict__, "resume": True, "dedup": True}))


# -- --language -------------------------------------------------------------------------------


def test_language_codes_are_two_letters():
    assert parse_languages(["en,DE", "fr"]) == {"en", "de", "fr"}
    for bad in (["english"], ["e1"], ["en,"], [""], ["en;de"]):
        with pytest.raises(ConfigError, match="ISO 639-1"):
            parse_languages(bad)
    assert page_language("en-US") == "en" and page_language("pt_BR") == "pt" and page_language("") is None
    result = invoke(str(SEEDS[0]), "--language", "eng", "-o", "unused.txt")
    assert result.exit_code == 2 and "'eng' is not one" in result.stderr


def test_the_language_filter_keeps_the_listed_languages_and_drops_unknown_ones():
    keep = PageFilter(frozenset({"en", "de"}), None)
    assert keep.dropped(Outcome(0, b"", language="en")) is None
    assert keep.dropped(Outcome(0, b"", language="de-AT")) is None
    assert keep.dropped(Outcome(0, b"", language="fr")) == "language"
    assert keep.dropped(Outcome(0, b"", language=None)) == "language"


class SaysLanguage:
    """Puts a language in the metadata: the one the page names on a line 'lang: xx', or none."""

    @hookimpl
    def cleaner_metadata(self, doc, decisions):
        for block in doc.blocks:
            if block.text.startswith("lang: "):
                return {"language": block.text[6:]}
        return {"language": None}


def _language_options():
    names = {p.name for p in Cleaner(autoload=False).plugins}
    return {**OPTIONS, "plugins": [SaysLanguage()], "disable": ["language"] if "language" in names else []}


@pytest.mark.parametrize("jobs", [1, 2])
def test_language_keeps_the_pages_whose_metadata_language_is_listed(tmp_path, jobs):
    records = seed_records()
    lines = ["lang: fr", "lang: en", "lang: de-CH"]
    for record, line in zip(records, lines, strict=True):
        record["text"] += "\n" + line
    records.append(dict(records[0], id=9, text=records[0]["text"].replace("lang: fr", "no language here")))
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, records)
    out = tmp_path / "out.jsonl"
    config = BatchConfig(
        inputs=(str(corpus),), output=str(out), jobs=jobs, languages=("en,de",), cleaner_options=_language_options()
    )
    report = run_batch(config)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [1, 2]
    assert report.other_language == 2 and report.pages_out == 2 and report.ok
    from cleaner.batch import summary_lines

    assert "4 pages in, 2 out, 0 failed, 2 in other languages dropped" in summary_lines(report)[0]


def test_language_on_real_pages_with_the_language_plugin(tmp_path):
    if "language" not in {p.name for p in Cleaner(autoload=False).plugins}:
        pytest.skip("no language plugin: metadata['language'] is not filled")
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, [*seed_records(), {"id": 3, "text": FRENCH}])
    result = invoke(str(corpus), "--language", "fr", "-o", str(tmp_path / "fr.jsonl"))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "fr.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [3] and rows[0]["cleaner"]["metadata"]["language"] == "fr"
    assert "3 in other languages dropped" in result.stderr
    result = invoke(str(corpus), "--language", "en,fr", "-o", str(tmp_path / "enfr.jsonl"))
    assert len(texts(tmp_path / "enfr.jsonl")) == 4
