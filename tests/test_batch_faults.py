"""Batch runs under faults: bad pages, plugins that raise, hang or crash, full disks, Ctrl-C, --resume."""

from __future__ import annotations

import contextlib
import errno
import gzip
import json
import multiprocessing
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner import Cleaner, hookimpl, outputs
from cleaner import batch as batch_module
from cleaner.batch import BatchConfig, BatchInterrupted, run_batch
from cleaner.cli import clean_command
from cleaner.errors import ConfigError

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (ROOT / "fixtures").glob("[0-9][0-9][0-9]_*.txt") if not p.name.endswith(".expected.txt"))
OPTIONS = {"autoload": False}


class Faulty:
    """A plugin that misbehaves on a marker word: raises, spins, hangs where no timer reaches, kills its
    process, or takes its time (NAP)."""

    napped: set[str] = set()  # the NAP pages this process has slept on

    @hookimpl
    def cleaner_judge(self, doc):
        text = " ".join(b.text for b in doc.blocks)
        if "BOOM" in text:
            raise RuntimeError("kaboom")
        if "SPIN" in text:
            while True:
                pass
        if "BLOCK" in text:  # the engine's timer cannot interrupt this: only ending the process can
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
            while True:
                pass
        if "CRASH" in text:
            os._exit(3)
        if "NAP" in text and text not in self.napped:  # slow, within the time limit (once: a page is judged again)
            self.napped.add(text)
            time.sleep(NAP_SECONDS)
        return None


NAP_SECONDS = 0.5


@pytest.fixture(autouse=True)
def no_autoload(monkeypatch):
    monkeypatch.setenv("CLEANER_DISABLE_PLUGIN_AUTOLOAD", "1")


def page(word: str) -> str:
    return f"A headline for {word}\n\nA body paragraph that mentions {word} among other words.\n"


def make_pages(folder: pathlib.Path, words) -> pathlib.Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, word in enumerate(words):
        (folder / f"{n:02d}-{word.lower()}.txt").write_text(page(word))
    return folder


def invoke(*args):
    return CliRunner().invoke(clean_command, list(args), catch_exceptions=False)


def write_corpus(path: pathlib.Path, n: int) -> pathlib.Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            seed = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")
            fh.write(json.dumps({"id": i, "text": seed}) + "\n")
        fh.write("{broken\n")
    return path


def jsonl_of(path: pathlib.Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


# -- pages that fail ----------------------------------------------------------------------------


def test_a_failing_page_never_stops_the_batch(tmp_path):
    pages = make_pages(tmp_path / "in", ["ok", "BOOM", "SPIN", "BLOCK", "CRASH", "fine"])
    out = tmp_path / "out"
    started = time.monotonic()
    report = run_batch(
        BatchConfig(
            inputs=(str(pages),), output=str(out), jobs=2, timeout=0.5, cleaner_options={**OPTIONS, "plugins": [Faulty()]}
        )
    )
    assert time.monotonic() - started < 20
    assert not report.ok
    assert (report.pages_in, report.pages_out, report.failed) == (6, 2, 4)
    assert sorted(p.name for p in out.iterdir()) == ["00-ok.txt", "05-fine.txt", "errors.jsonl"]
    errors = {pathlib.Path(e["source"]).name: e for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert errors["01-boom.txt"]["error"] == "PluginError"
    assert "plugin 'Faulty' failed in cleaner_judge: RuntimeError: kaboom" in errors["01-boom.txt"]["reason"]
    assert errors["02-spin.txt"]["error"] == "PageTimeout"  # stopped by the engine's timer
    assert errors["03-block.txt"]["error"] == "PageTimeout"  # stopped by ending its worker
    assert "its worker was stopped" in errors["03-block.txt"]["reason"]
    assert errors["04-crash.txt"]["error"] == "WorkerDied"
    assert "exit code 3" in errors["04-crash.txt"]["reason"]
    assert report.workers_replaced == 2
    assert [f["source"] for f in report.failures] == sorted(f["source"] for f in report.failures)


def test_strict_stops_at_the_first_failure(tmp_path):
    pages = make_pages(tmp_path / "in", ["ok", "BOOM", "after", "later"])
    out = tmp_path / "out"
    report = run_batch(
        BatchConfig(
            inputs=(str(pages),), output=str(out), jobs=2, strict=True, cleaner_options={**OPTIONS, "plugins": [Faulty()]}
        )
    )
    assert report.stopped and "kaboom" in report.stopped
    assert report.pages_in == 2
    assert sorted(p.name for p in out.iterdir()) == ["00-ok.txt", "errors.jsonl"]


def test_binary_and_undecodable_files_are_listed_with_their_reason(tmp_path):
    pages = make_pages(tmp_path / "in", ["ok"])
    (pages / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (pages / "zipped.txt").write_bytes(gzip.compress(b"hello"))
    (pages / "bad.txt.gz").write_bytes(b"\x1f\x8b not really gzip")
    out = tmp_path / "out"
    result = invoke(str(pages), "-o", str(out))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    reasons = {pathlib.Path(e["source"]).name: e["reason"] for e in errors}
    assert "PNG image" in reasons["image.txt"]
    assert "gzip" in reasons["zipped.txt"]
    assert "cannot decompress" in reasons["bad.txt.gz"]
    assert (out / "00-ok.txt").exists()
    assert "failures are listed in" in result.stderr


def test_strict_on_the_command_line(tmp_path):
    pages = make_pages(tmp_path / "in", ["a"])
    (pages / "01-b.txt").write_bytes(b"%PDF-1.7 binary")
    (pages / "02-c.txt").write_text(page("c"))
    out = tmp_path / "out"
    result = invoke(str(pages), "-o", str(out), "--strict", "-j", "1")
    assert result.exit_code == 1
    assert "stopped at the first failure" in result.stderr
    assert not (out / "02-c.txt").exists()


def test_a_stale_errors_file_goes_when_nothing_fails(tmp_path):
    pages = make_pages(tmp_path / "in", ["a", "b"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "errors.jsonl").write_text('{"source": "old"}\n')
    assert invoke(str(pages), "-o", str(out)).exit_code == 0
    assert not (out / "errors.jsonl").exists()


def test_a_bad_cleaner_option_is_one_usage_error(tmp_path):
    pages = make_pages(tmp_path / "in", ["a"])
    with pytest.raises(ConfigError):
        run_batch(BatchConfig(inputs=(str(pages),), output=str(tmp_path / "o"), cleaner_options={"keep": ["nonsense"]}))


# -- pages queued on a worker ------------------------------------------------------------------
# One worker holds SENT_PER_WORKER pages at once: the one it cleans, the next ones queued behind.


@contextlib.contextmanager
def watchdog(seconds: float):
    """Fail, rather than hang, when the block takes longer than ``seconds`` (a lost page stalls a run)."""

    def expire(signum, frame):
        raise AssertionError(f"still running after {seconds}s: a page was lost, or parent and worker wait on each other")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def errors_in(out: pathlib.Path) -> dict[str, dict]:
    lines = (out / "errors.jsonl").read_text().splitlines()
    return {pathlib.Path(e["source"]).name: e for e in map(json.loads, lines)}


def cleaned(word: str) -> bytes:
    return (Cleaner(autoload=False).clean(page(word)).text + "\n").encode()


@pytest.mark.parametrize("fault, error", [("BLOCK", "PageTimeout"), ("CRASH", "WorkerDied")])
def test_a_page_that_hangs_or_crashes_with_pages_queued_behind_fails_alone(tmp_path, monkeypatch, fault, error):
    monkeypatch.setattr(batch_module, "SENT_PER_WORKER", 3)  # the fault is sent with the page before and after it
    pages = make_pages(tmp_path / "in", ["ok", fault, "after", "later", "last"])
    out = tmp_path / "out"
    with watchdog(30):
        report = run_batch(
            BatchConfig(
                inputs=(str(pages),), output=str(out), jobs=1, timeout=0.5, cleaner_options={**OPTIONS, "plugins": [Faulty()]}
            )
        )
    assert (report.pages_in, report.pages_out, report.failed, report.workers_replaced) == (5, 4, 1, 1)
    failed = f"01-{fault.lower()}.txt"
    assert list(errors_in(out)) == [failed]  # the page its worker was cleaning, not one queued behind it
    assert errors_in(out)[failed]["error"] == error
    for n, word in [(0, "ok"), (2, "after"), (3, "later"), (4, "last")]:
        assert (out / f"{n:02d}-{word}.txt").read_bytes() == cleaned(word)


def test_the_time_limit_of_a_queued_page_counts_from_when_it_starts(tmp_path, monkeypatch):
    monkeypatch.setattr(batch_module, "SENT_PER_WORKER", 3)
    monkeypatch.setattr(batch_module, "KILL_GRACE_SECONDS", 0.2)
    # three pages of 0.5 s each, sent at once to one worker, with a limit of 1 s: the third one
    # starts after 1 s, so counted from when it was sent it would be stopped at 1.2 s
    pages = make_pages(tmp_path / "in", ["NAPa", "NAPb", "NAPc"])
    out = tmp_path / "out"
    report = run_batch(
        BatchConfig(
            inputs=(str(pages),), output=str(out), jobs=1, timeout=1.0, cleaner_options={**OPTIONS, "plugins": [Faulty()]}
        )
    )
    assert (report.pages_out, report.failed, report.workers_replaced) == (3, 0, 0)


@pytest.mark.slow
def test_records_larger_than_the_pipe_reach_a_busy_worker_only_when_it_is_free(tmp_path):
    # A record of 750 KB and its cleaned record fill the pipe both ways: sent to a worker still
    # busy with the one before, parent and worker would each wait for the other to read.
    para = "The council approved the budget after a long debate on Tuesday evening, officials said."
    texts = ["A headline\n\n" + "\n\n".join(f"{para} Record {r}, paragraph {i}." for i in range(6000)) for r in range(4)]
    corpus = tmp_path / "big.jsonl"
    corpus.write_text("".join(json.dumps({"id": r, "text": t}) + "\n" for r, t in enumerate(texts)))
    out = tmp_path / "out.jsonl"
    with watchdog(60):
        report = run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), jobs=1, cleaner_options=OPTIONS))
    assert report.ok and report.pages_out == 4
    engine = Cleaner(autoload=False)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["text"] for r in records] == [engine.clean(t).text for t in texts]


# -- outputs that cannot be written ----------------------------------------------------------


class FullDisk:
    """Stands in for ``open`` in cleaner.outputs: writes fail with ENOSPC once ``budget`` bytes are used."""

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def __call__(self, *args, **kwargs):
        return _Filling(open(*args, **kwargs), self)


class _Filling:
    def __init__(self, fh, disk: FullDisk) -> None:
        self._fh = fh
        self._disk = disk

    def write(self, data):
        if len(data) > self._disk.budget:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._disk.budget -= len(data)
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


def test_a_full_disk_stops_the_folder_run_with_no_partial_file(tmp_path, monkeypatch):
    pages = make_pages(tmp_path / "in", ["a", "b", "c"])
    out = tmp_path / "out"
    first = (Cleaner(autoload=False).clean(page("a")).text + "\n").encode()
    monkeypatch.setattr(outputs, "open", FullDisk(len(first) + 1), raising=False)  # room for one page
    result = invoke(str(pages), "-o", str(out), "-j", "1")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["00-a.txt"]  # whole, and no temporary file
    assert (out / "00-a.txt").read_bytes() == first
    monkeypatch.undo()
    result = invoke(str(pages), "-o", str(out), "--resume")
    assert result.exit_code == 0
    assert "1 skipped (done before)" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["00-a.txt", "01-b.txt", "02-c.txt"]


def test_a_full_disk_leaves_no_jsonl_output_and_resumes(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 12)
    ref = tmp_path / "ref.jsonl.gz"
    assert invoke(str(corpus), "-o", str(ref), "-j", "1").exit_code == 1  # the broken line
    out = tmp_path / "out.jsonl.gz"
    monkeypatch.setattr(batch_module, "CHECKPOINT_EVERY", 3)
    monkeypatch.setattr(outputs, "open", FullDisk(len(ref.read_bytes()) // 2), raising=False)
    result = invoke(str(corpus), "-o", str(out), "-j", "2")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert not out.exists()
    assert "--resume" in result.stderr
    monkeypatch.undo()
    result = invoke(str(corpus), "-o", str(out), "--resume")
    assert result.exit_code == 1  # the broken line, again
    assert jsonl_of(out) == jsonl_of(ref)
    assert not pathlib.Path(str(out) + ".part").exists()
    assert not pathlib.Path(str(out) + ".resume.json").exists()


def test_an_unwritable_output_is_one_clear_error(tmp_path):
    pages = make_pages(tmp_path / "in", ["a"])
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    result = invoke(str(pages), "-o", str(blocker / "out"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.output
    corpus = write_corpus(tmp_path / "c.jsonl", 2)
    result = invoke(str(corpus), "-o", str(blocker / "out.jsonl"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.output


def test_a_read_only_output_is_one_clear_error(tmp_path, monkeypatch):
    pages = make_pages(tmp_path / "in", ["a"])

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(outputs, "open", read_only, raising=False)
    result = invoke(str(pages), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "Read-only file system" in result.stderr and "Traceback" not in result.output
    assert not any((tmp_path / "out").rglob("*.txt"))


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_clear_error(tmp_path):
    pages = make_pages(tmp_path / "in", ["a"])
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = invoke(str(pages), "-o", str(out))
    finally:
        out.chmod(0o755)
    assert result.exit_code == 1
    assert "Permission denied" in result.stderr
    assert list(out.iterdir()) == []


# -- interruptions and --resume --------------------------------------------------------------


def test_ctrl_c_leaves_a_resumable_jsonl(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 20)
    ref = tmp_path / "ref.jsonl.gz"
    run_batch(BatchConfig(inputs=(str(corpus),), output=str(ref), jobs=2, cleaner_options=OPTIONS))
    out = tmp_path / "out.jsonl.gz"

    def interrupt(report, meter):
        if report.pages_in == 7:
            raise KeyboardInterrupt

    with pytest.raises(BatchInterrupted) as caught:
        run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), jobs=2, cleaner_options=OPTIONS), progress=interrupt)
    assert caught.value.report.interrupted and caught.value.report.resumable
    assert not out.exists()
    state = json.loads(pathlib.Path(str(out) + ".resume.json").read_text())
    assert state["done"] == 7
    report = run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), jobs=2, resume=True, cleaner_options=OPTIONS))
    assert report.skipped_done == 7 and report.pages_in == 14
    assert jsonl_of(out) == jsonl_of(ref)
    assert (tmp_path / "out.errors.jsonl").read_text() == (tmp_path / "ref.errors.jsonl").read_text()


def test_a_crash_between_checkpoints_resumes_from_the_last_one(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 20)
    ref = tmp_path / "ref.jsonl.gz"
    run_batch(BatchConfig(inputs=(str(corpus),), output=str(ref), jobs=1, cleaner_options=OPTIONS))
    out = tmp_path / "out.jsonl.gz"
    monkeypatch.setattr(batch_module, "CHECKPOINT_EVERY", 4)

    def crash(report, meter):
        if report.pages_in == 10:
            raise SystemExit("the machine went down")  # nothing is flushed or saved after this

    with pytest.raises(SystemExit):
        run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), jobs=1, cleaner_options=OPTIONS), progress=crash)
    state = json.loads(pathlib.Path(str(out) + ".resume.json").read_text())
    assert state["done"] == 8  # the last checkpoint
    report = run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), jobs=2, resume=True, cleaner_options=OPTIONS))
    assert report.skipped_done == 8
    assert jsonl_of(out) == jsonl_of(ref)


def test_resume_refuses_a_state_from_other_options(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 6)
    out = tmp_path / "out.jsonl"

    def interrupt(report, meter):
        if report.pages_in == 2:
            raise KeyboardInterrupt

    with pytest.raises(BatchInterrupted):
        run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), jobs=1, cleaner_options=OPTIONS), progress=interrupt)
    result = invoke(str(corpus), "-o", str(out), "--resume", "--keep", "caption")
    assert result.exit_code == 2
    assert "other inputs or options" in result.stderr


def test_resume_of_a_complete_output_does_nothing(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 3)
    out = tmp_path / "out.jsonl"
    invoke(str(corpus), "-o", str(out))
    before = out.stat().st_mtime_ns
    result = invoke(str(corpus), "-o", str(out), "--resume")
    assert result.exit_code == 0
    assert "complete already" in result.stderr
    assert out.stat().st_mtime_ns == before


def test_resume_in_a_folder_skips_the_written_pages(tmp_path):
    pages = make_pages(tmp_path / "in", ["a", "b", "c", "d"])
    out = tmp_path / "out"
    assert invoke(str(pages), "-o", str(out)).exit_code == 0
    (out / "02-c.txt").unlink()
    kept = (out / "00-a.txt").stat().st_mtime_ns
    report = run_batch(BatchConfig(inputs=(str(pages),), output=str(out), resume=True, jobs=1, cleaner_options=OPTIONS))
    assert (report.skipped_done, report.pages_in) == (3, 1)
    assert (out / "02-c.txt").read_text().startswith("A headline for c")
    assert (out / "00-a.txt").stat().st_mtime_ns == kept


def big_pages(folder: pathlib.Path, copies: int) -> dict[int, bytes]:
    """``copies`` pages of each seed, each seed 6 times over (slow enough to interrupt)."""
    folder.mkdir()
    texts = {}
    for s, seed in enumerate(SEEDS):
        body = seed.read_bytes()
        texts[s] = b"\n\n".join([body] * 6)
        for n in range(copies):
            (folder / f"p{n:03d}-{s}.txt").write_bytes(texts[s])
    return texts


@pytest.mark.slow
def test_ctrl_c_on_the_command_line_leaves_only_whole_files(tmp_path):
    pages = tmp_path / "in"
    texts = big_pages(pages, 60)
    engine = Cleaner(autoload=False)
    expected = {s: (engine.clean(t).text + "\n").encode() for s, t in texts.items()}
    out = tmp_path / "out"
    env = {**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-c", "from cleaner.cli import main; main()", str(pages), "-o", str(out), "-j", "2"]
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(out.glob("*.txt"))) < 5:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err.decode()
    assert b"--resume" in err
    written = sorted(out.iterdir())
    assert 5 <= len(written) < 180, "the run was not interrupted in its middle"
    for path in written:
        assert path.suffix == ".txt" and not path.name.startswith(".")
        assert path.read_bytes() == expected[int(path.stem.split("-")[1])]
    result = subprocess.run(command + ["--resume"], env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert len(list(out.iterdir())) == 180
    assert f"{len(written)} skipped (done before)".encode() in result.stderr


# -- how workers start ------------------------------------------------------------------------
# On Linux a worker is a fork of the parent, unless the parent runs other threads (fork server then).


def _alive(pid: int) -> bool:
    """The process runs (a zombie, ended and waiting to be reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_workers_stop_when_the_parent_is_killed(tmp_path):
    # a forked worker holds a copy of the parent's end of its pipe unless it closes it: it would
    # then never see the pipe close, and wait for its next page for ever
    pages = tmp_path / "in"
    big_pages(pages, 60)
    out = tmp_path / "out"
    env = {**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-c", "from cleaner.cli import main; main()", str(pages), "-o", str(out), "-j", "2"]
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(out.glob("*.txt"))) < 5:
        time.sleep(0.02)
    with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as fh:
        workers = [int(pid) for pid in fh.read().split()]
    assert len(workers) == 2
    proc.kill()
    _, err = proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(_alive, workers)):
        time.sleep(0.05)
    assert not any(map(_alive, workers))
    assert b"Traceback" not in err


def test_a_caller_running_threads_gets_workers_from_the_fork_server(tmp_path):
    pages = make_pages(tmp_path / "in", ["a", "b", "c", "d", "e"])
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        if "forkserver" in multiprocessing.get_all_start_methods():
            assert batch_module._mp_context().get_start_method() == "forkserver"
        report = run_batch(BatchConfig(inputs=(str(pages),), output=str(tmp_path / "out"), jobs=2, cleaner_options=OPTIONS))
    finally:
        stop.set()
        thread.join()
    assert (report.pages_in, report.pages_out) == (5, 5)
    for n, word in enumerate("abcde"):
        assert (tmp_path / "out" / f"{n:02d}-{word}.txt").read_bytes() == cleaned(word)
    if sys.platform.startswith("linux"):
        assert batch_module._mp_context().get_start_method() == "fork"


def test_pages_printed_by_forked_workers_come_out_once(tmp_path):
    # a forked worker has a copy of the parent's output buffers: nothing may be printed twice
    pages = make_pages(tmp_path / "in", ["a", "b", "c", "d", "e"])
    env = {**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}
    files = [str(p) for p in sorted(pages.iterdir())]
    result = subprocess.run(
        [sys.executable, "-c", "from cleaner.cli import main; main()", *files, "-j", "2"],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    expected = "".join(
        ("\n" if n else "") + f"==> {f} <==\n" + cleaned(w).decode() for n, (f, w) in enumerate(zip(files, "abcde", strict=False))
    )
    assert result.stdout.decode() == expected


# -- random bytes through the batch input paths -----------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cleaner.batch import Settings, process  # noqa: E402
from cleaner.sources import Meter, Task, TaskMode, jsonl_lines, warc_records  # noqa: E402

_ENGINE = Cleaner(autoload=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), name=st.sampled_from(["x.jsonl", "x.jsonl.gz", "x.jsonl.zst", "x.warc.gz", "x.wet"]))
def test_random_bytes_in_record_files_never_raise(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    items: list[Any]
    if "jsonl" in name:
        items = [line if line is not None else problem for _, line, problem in jsonl_lines(str(path), Meter())]
    else:
        items = list(warc_records(str(path), Meter()))
    for seq, item in enumerate(items):
        if isinstance(item, bytes):
            outcome = process(_ENGINE, Task(seq, "x", TaskMode.JSON_LINE, content=item), Settings())
            assert outcome.ok or outcome.error in ("InputError", "PluginError", "PageTimeout")
        elif item is not None and not isinstance(item, str):
            task = Task(seq, "x", TaskMode.WARC_RECORD, content=item.content, url=item.url, kind=item.kind, fields=item.fields)
            assert process(_ENGINE, task, Settings()).error in (None, "InputError", "PluginError")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_random_bytes_as_a_page_file_give_a_page_or_a_reason(tmp_path, data):
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    outcome = process(_ENGINE, Task(0, str(path), TaskMode.PAGE, path=str(path)), Settings())
    assert outcome.ok or (outcome.error == "InputError" and outcome.reason)
    if outcome.ok:
        assert outcome.payload is not None
        outcome.payload.decode("utf-8")  # the output is always valid UTF-8


def test_random_files_through_the_command_line(tmp_path):
    import random

    rng = random.Random(7)
    pages = tmp_path / "in"
    pages.mkdir()
    for n in range(12):
        (pages / f"f{n}.txt").write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3000))))
    (tmp_path / "r.jsonl").write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    (tmp_path / "r.warc.gz").write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    for args in (
        [str(pages), "-o", str(tmp_path / "o")],
        [str(tmp_path / "r.jsonl"), "-o", str(tmp_path / "r.out.jsonl")],
        [str(tmp_path / "r.warc.gz"), "-o", str(tmp_path / "w.out.jsonl")],
    ):
        result = invoke(*args)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output


def test_ctrl_c_in_the_middle_of_writing_a_record_does_not_corrupt_the_stream(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 8)
    ref = tmp_path / "ref.jsonl.gz"
    run_batch(BatchConfig(inputs=(str(corpus),), output=str(ref), jobs=1, cleaner_options=OPTIONS))
    real = outputs.RecordWriter._compressor
    calls = 0

    class PressCtrlC:  # Ctrl-C lands after a record is compressed, before its bytes are written
        def __init__(self, member):
            self.member = member

        def compress(self, data):
            nonlocal calls
            out = self.member.compress(data)
            calls += 1
            if calls == 4:
                os.kill(os.getpid(), signal.SIGINT)
            return out

        def flush(self):
            return self.member.flush()

    monkeypatch.setattr(outputs.RecordWriter, "_compressor", lambda self: PressCtrlC(real(self)))
    out = tmp_path / "out.jsonl.gz"
    with pytest.raises(BatchInterrupted):
        run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), jobs=1, cleaner_options=OPTIONS))
    monkeypatch.undo()
    assert json.loads(pathlib.Path(str(out) + ".resume.json").read_text())["done"] == 4
    run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), jobs=1, resume=True, cleaner_options=OPTIONS))
    assert jsonl_of(out) == jsonl_of(ref)
