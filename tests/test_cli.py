"""The clean command as a user runs it: a real process, stdout, stderr and exit codes."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"
SEED = FIXTURES / "000_6dfaa3aae3de5004.txt"
EXPECTED = FIXTURES / "000_6dfaa3aae3de5004.expected.txt"


def run(*args, stdin=None, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "cleaner.cli", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1", **(env or {})},
    )


def test_clean_prints_the_article():
    p = run(SEED)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == EXPECTED.read_text(encoding="utf-8")


def test_stdin_with_a_dash_and_without_arguments():
    data = SEED.read_bytes()
    assert run("-", stdin=data).stdout.decode() == EXPECTED.read_text(encoding="utf-8")
    assert run(stdin=data).stdout.decode() == EXPECTED.read_text(encoding="utf-8")


def test_explain_lists_every_line_with_category_reason_and_plugin():
    p = run("--explain", SEED)
    lines = p.stdout.decode().splitlines()
    assert len(lines) == len(SEED.read_text(encoding="utf-8").splitlines())
    assert "\x1b[" not in p.stdout.decode()  # plain when piped
    left_menu = lines[0]
    assert left_menu.startswith(" 1 - [nav] Left Menu") and "(devdiscourse)" in left_menu
    assert lines[2].startswith(" 3 T US Labels")
    assert any("[duplicate]" in x for x in lines)
    colour = run("--explain", "--color", SEED).stdout.decode()
    assert "\x1b[" in colour


def test_json_has_title_body_metadata_and_removals():
    data = json.loads(run("--format", "json", SEED).stdout)
    assert data["title"].startswith("US Labels North Korean")
    assert data["text"] == EXPECTED.read_text(encoding="utf-8").rstrip("\n")
    assert data["body"] == data["text"].split("\n\n", 1)[1]
    assert data["metadata"]["author"] == "Devdiscourse News Desk"
    assert data["metadata"]["site"] == "devdiscourse"
    assert data["metadata"]["captions"][0].startswith("US Department of State spokesperson")
    first = data["removed"][0]
    assert first == {"line": 1, "text": "Left Menu", "category": "nav", "reason": first["reason"], "plugin": "devdiscourse"}


def test_keep_and_disable():
    kept = run("--keep", "caption", "--keep", "byline", SEED).stdout.decode()
    assert "Image Credit" in kept and "Devdiscourse News Desk" in kept
    generic = run("--disable", "devdiscourse", "--format", "json", SEED)
    assert json.loads(generic.stdout)["metadata"].get("site") is None


def test_url_lets_a_site_plugin_claim_the_page(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Left Menu\n\nA headline\n\nA paragraph long enough to read as the prose of an article, really.\n")
    data = json.loads(run("--format", "json", "--url", "https://www.devdiscourse.com/article/1", page).stdout)
    assert data["metadata"]["site"] == "devdiscourse"


def test_several_files_get_headers_and_failures_are_listed(tmp_path):
    p = run(SEED, tmp_path / "missing.txt", FIXTURES / "001_a0e1f8a55c835643.txt")
    out = p.stdout.decode()
    assert f"==> {SEED} <==" in out and "(ANI)" in out
    assert p.returncode == 1
    err = p.stderr.decode().strip().splitlines()
    assert err[0] == f"clean: {tmp_path / 'missing.txt'}: no such file"
    assert err[-1] == "clean: 1 of 3 inputs failed"


def write(path, data):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "nope.txt", "no such file"),
        (lambda d: write(d / "bin.txt", b"\x00\x01\x02binary\x00" * 10), "binary data, not text"),
        (lambda d: write(d / "x.txt", b"%PDF-1.4 ..."), "a PDF document"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(tmp_path, make, message):
    p = run(make(tmp_path))
    assert p.returncode == 1
    err = p.stderr.decode()
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_usage_errors_exit_2_without_traceback():
    for args in (["--keep", "adverts", SEED], ["--disable", "nope", SEED], ["--disable", "segment", SEED]):
        p = run(*args)
        assert p.returncode == 2 and b"Traceback" not in p.stderr


def test_plugins_lists_builtins_with_all_and_as_json():
    text = run("plugins", "--all").stdout.decode()
    assert "devdiscourse" in text and "built-in" in text and "judge" in text
    data = json.loads(run("plugins", "--json").stdout)
    names = {p["name"]: p for p in data}
    assert names["ad"]["source"] == "built-in" and names["ad"]["hooks"] == ["cleaner_judge"]
    assert names["ad"]["version"]
    assert "No third-party plugins" in run("plugins").stdout.decode()


def test_a_file_named_like_a_subcommand_is_cleaned(tmp_path):
    (tmp_path / "plugins").write_text("Advertisement\n\nThe only paragraph of this short page, and it is long enough.\n")
    p = run("./plugins", cwd=tmp_path)
    assert p.returncode == 0
    assert p.stdout.decode() == "The only paragraph of this short page, and it is long enough.\n"


def test_version_and_help():
    assert run("--version").stdout.decode().startswith("clean ")
    help_text = run("--help").stdout.decode()
    for option in ("--explain", "--format", "--keep", "--disable", "--url", "--kind", "clean plugins"):
        assert option in help_text


# -- exit codes and hints (issue 18) ----------------------------------------------------------


def test_a_folder_without_output_is_a_usage_error(tmp_path):
    p = run(tmp_path)
    assert p.returncode == 2
    assert b"is a folder: add -o OUT/" in p.stderr and b"Traceback" not in p.stderr


def _waiting_on_stdin(pid: int) -> bool:
    """The process is blocked reading file descriptor 0 (Linux: /proc/PID/syscall)."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        return False
    return len(fields) > 1 and fields[0] in ("0", "63") and fields[1] == "0x0"  # read(0, ...) on x86-64 / arm64


@pytest.mark.skipif(not os.path.exists("/proc/self/syscall"), reason="needs Linux's /proc/PID/syscall")
@pytest.mark.parametrize("args", [[], ["-", "-o", "out.txt"]])
def test_ctrl_c_while_standard_input_is_awaited_exits_130(tmp_path, args):
    import signal
    import time

    env = {**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner.cli", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not _waiting_on_stdin(proc.pid):
            assert proc.poll() is None and time.monotonic() < deadline, "never waited on stdin"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and b"interrupted" in err


def _closed_early(tmp_path, args, stdin=b""):
    """Run clean, read its first line and close the pipe (as head does); the exit code and stderr."""
    env = {**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"}
    source = tmp_path / "stdin.bin"  # a file: a pipe written here while clean fills its stdout would deadlock
    source.write_bytes(stdin)
    with open(source, "rb") as fh, open(tmp_path / "stderr.txt", "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cleaner.cli", *map(str, args)], stdin=fh, stdout=subprocess.PIPE, stderr=err, env=env
        )
        assert proc.stdout is not None
        try:
            assert proc.stdout.readline()
            proc.stdout.close()
            code = proc.wait(timeout=120)
        finally:
            proc.kill()
    return code, (tmp_path / "stderr.txt").read_bytes()


def test_a_closed_pipe_ends_quietly_with_0(tmp_path):
    pages = []
    for n in range(80):  # well over a pipe's buffer of output
        pages.append(tmp_path / f"p{n}.txt")
        pages[-1].write_bytes(SEED.read_bytes())
    code, err = _closed_early(tmp_path, pages)
    assert code == 0, err
    assert err == b""
    records = "".join(json.dumps({"text": SEED.read_text(encoding="utf-8")}) + "\n" for _ in range(80)).encode()
    code, err = _closed_early(tmp_path, ["--input-format", "jsonl", "-j", "1", "-"], stdin=records)
    assert code == 0, err
    assert b"Traceback" not in err and b"Broken pipe" not in err and b"Exception ignored" not in err


def test_jsonl_on_standard_input_is_recognised_and_said(tmp_path):
    records = "".join(json.dumps({"id": n, "text": SEED.read_text(encoding="utf-8")}) + "\n" for n in range(2))
    p = run(stdin=("\n" + records).encode())
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == [0, 1] and rows[0]["text"] == EXPECTED.read_text(encoding="utf-8").rstrip("\n")
    assert b"standard input holds JSONL" in p.stderr
    # told to, it is one page
    page = run("--input-format", "pages", "-", stdin=records.encode())
    assert page.returncode == 0 and page.stdout.decode().startswith('{"id": 0')
    # objects without the text field: said, not guessed
    other = run(stdin=b'{"html": "<p>x</p>"}\n')
    assert other.returncode == 2 and b"--text-field NAME" in other.stderr and other.stdout == b""
    assert run("--text-field", "html", stdin=b'{"html": "<p>Hello there.</p>"}\n').returncode == 0


@pytest.mark.parametrize("extra", [[], ["-o", "out.txt"]])
def test_a_url_given_as_a_file_hints_at_curl(tmp_path, extra):
    p = run("https://example.com/a", *extra, cwd=tmp_path)
    assert p.returncode == 1
    assert (
        b"no such file (clean reads files, not URLs: curl -s https://example.com/a | clean --url https://example.com/a -)"
        in p.stderr
    )
