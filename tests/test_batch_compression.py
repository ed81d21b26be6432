"""Compressed inputs and outputs: .gz, .zst, .bz2 and .xz pages, JSONL and WARC (issue 18)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import shutil

import pytest
import zstandard
from test_batch import SEEDS, engine, expected_text, invoke, no_autoload, seed_records, write_jsonl, write_wet  # noqa: F401

from cleaner.batch import CHECKPOINT_EVERY, BatchConfig, run_batch  # noqa: F401
from cleaner.outputs import compress, compression_of, decompress
from cleaner.sources import InputKind, kind_of

PACK = {
    ".gz": gzip.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
}
UNPACK = {
    ".gz": gzip.decompress,
    ".zst": lambda data: zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True).read(),
    ".bz2": bz2.decompress,
    ".xz": lzma.decompress,
}


def test_names_tell_the_compression_and_the_kind():
    assert [compression_of(f"a.txt{s}") for s in PACK] == ["gzip", "zstd", "bzip2", "xz"]
    assert kind_of("corpus.jsonl.bz2") is InputKind.JSONL and kind_of("corpus.ndjson.xz") is InputKind.JSONL
    assert kind_of("CC-MAIN-x.warc.zst") is InputKind.WARC and kind_of("crawl.warc.wet.xz") is InputKind.WARC
    assert kind_of("page.txt.bz2") is InputKind.PAGES
    for suffix in PACK:
        data = b"some bytes " * 100
        assert UNPACK[suffix](compress(data, compression_of(suffix))) == data
        assert decompress(PACK[suffix](data) + PACK[suffix](data), compression_of(suffix)) == data * 2  # streams joined


@pytest.mark.parametrize("suffix", [".bz2", ".xz"])
def test_pages_read_and_written_compressed_the_same_way(tmp_path, engine, suffix):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / f"a.txt{suffix}").write_bytes(PACK[suffix](SEEDS[0].read_bytes()))
    shutil.copy(SEEDS[1], pages / "b.txt")
    out = tmp_path / "out"
    result = invoke(str(pages), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert UNPACK[suffix]((out / f"a.txt{suffix}").read_bytes()) == expected_text(engine, SEEDS[0])
    one = invoke(str(pages / f"a.txt{suffix}"))  # one page, printed
    assert one.exit_code == 0 and one.stdout.encode() == expected_text(engine, SEEDS[0])


@pytest.mark.parametrize("suffix", [".bz2", ".xz"])
def test_compressed_jsonl_in_and_out_with_checkpoints(tmp_path, monkeypatch, suffix):
    import cleaner.batch

    plain = tmp_path / "corpus.jsonl"
    write_jsonl(plain, seed_records() * 2)
    ref = tmp_path / "ref.jsonl"
    assert invoke(str(plain), "-o", str(ref)).exit_code == 0
    packed = tmp_path / f"corpus.jsonl{suffix}"
    packed.write_bytes(PACK[suffix](plain.read_bytes()))
    monkeypatch.setattr(cleaner.batch, "CHECKPOINT_EVERY", 2)  # several streams in the output
    out = tmp_path / f"out.jsonl{suffix}"
    result = invoke(str(packed), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert UNPACK[suffix](out.read_bytes()) == ref.read_bytes()


@pytest.mark.parametrize("suffix", [".zst", ".bz2", ".xz"])
def test_warc_files_compressed_whole_are_read_like_gzipped_ones(tmp_path, suffix):
    records = seed_records()
    wet = tmp_path / "crawl.warc.wet"
    write_wet(wet, [(r["url"], r["text"]) for r in records])
    ref = tmp_path / "ref.jsonl"
    assert invoke(str(wet), "-o", str(ref)).exit_code == 0
    packed = tmp_path / f"crawl.warc.wet{suffix}"
    packed.write_bytes(PACK[suffix](wet.read_bytes()))
    out = tmp_path / "out.jsonl"
    result = invoke(str(packed), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().replace(str(packed), str(wet)) == ref.read_text()
    if suffix == ".zst":
        return  # zstandard's stream reader ends a cut frame silently: no failure to see
    # cut short: a listed failure, not a crash
    (tmp_path / f"cut.warc.wet{suffix}").write_bytes(packed.read_bytes()[: len(packed.read_bytes()) // 2])
    cut = invoke(str(tmp_path / f"cut.warc.wet{suffix}"), "-o", str(tmp_path / "cut.jsonl"))
    assert cut.exit_code == 1 and "Traceback" not in cut.output
