"""Site templates as a user runs them: --learn-templates, learn-templates, --templates."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from test_templates import PROMO, TAGLINE, article, page

from cleaner import Cleaner
from cleaner.batch import BatchConfig, run_batch
from cleaner.templates import Templates


class Done:
    """What a run of the command gave: its exit code, stdout and stderr (bytes)."""

    def __init__(self, returncode: int, stdout: bytes, stderr: bytes) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run(*args, stdin=None, cwd=None):
    """``clean ARGS`` in this process (a subprocess costs seconds of start-up a call)."""
    from click.testing import CliRunner

    from cleaner.cli import SUBCOMMANDS, clean_command, commands

    argv = [str(a) for a in args]
    command = commands if argv and argv[0] in SUBCOMMANDS else clean_command
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(command, argv, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(here)
    return Done(result.exit_code, result.stdout_bytes, result.stderr_bytes)


def run_process(*args):
    return subprocess.run(
        [sys.executable, "-m", "cleaner.cli", *map(str, args)],
        capture_output=True,
        env={**os.environ, "CLEANER_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )


@pytest.fixture(autouse=True)
def no_autoload(monkeypatch):
    monkeypatch.setenv("CLEANER_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture
def site(tmp_path):
    """A folder of one site's pages (no URLs: the folder is the site)."""
    folder = tmp_path / "site"
    folder.mkdir()
    for n in range(6):
        (folder / f"p{n}.txt").write_text(page(n))
    return folder


@pytest.fixture
def corpus(tmp_path):
    """JSONL: six pages of one host, and one page of a host seen once."""
    path = tmp_path / "corpus.jsonl"
    records = [{"id": n, "url": f"https://www.news.example/story/{n}", "text": page(n)} for n in range(6)]
    records.append({"id": 6, "url": "https://alone.example/x", "text": page(6)})
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _records(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_folder_learned_and_cleaned_in_one_run(site, tmp_path):
    out = tmp_path / "out"
    done = run(site, "-o", f"{out}/", "--learn-templates", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    for n in range(6):
        text = (out / f"p{n}.txt").read_text()
        assert TAGLINE not in text and PROMO not in text
        assert article(n)[2] in text
    assert b"site templates removed" in done.stderr
    plain = run(site, "-o", f"{tmp_path / 'plain'}/", "--jobs", "1")
    assert plain.returncode == 0
    assert TAGLINE in (tmp_path / "plain" / "p0.txt").read_text()


def test_jsonl_by_url_host_and_a_single_page_site_unchanged(corpus, tmp_path):
    learned, plain = tmp_path / "learned.jsonl", tmp_path / "plain.jsonl"
    assert run(corpus, "--url-field", "url", "--learn-templates", "-o", learned).returncode == 0
    assert run(corpus, "--url-field", "url", "-o", plain).returncode == 0
    with_t, without = _records(learned), _records(plain)
    for n in range(6):
        assert PROMO in without[n]["text"] and PROMO not in with_t[n]["text"]
    assert with_t[6] == without[6]  # a site of one page: the same as without the flag


def test_learning_and_cleaning_in_workers_is_the_same_as_one_process(corpus, tmp_path):
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}.jsonl"
        report = run_batch(BatchConfig(inputs=(str(corpus),), output=str(out), url_field="url", jobs=jobs, learn_templates=True))
        assert report.ok and report.templated > 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_learn_templates_saves_them_for_later(site, tmp_path):
    saved = tmp_path / "site.templates.json"
    done = run("learn-templates", site, "-o", saved)
    assert done.returncode == 0, done.stderr
    assert b"6 pages read, 0 failed; the templates of 1 site of 3 pages or more" in done.stderr
    templates = Templates.load(saved)
    assert len(templates) == 1
    one = run("--templates", saved, site / "p0.txt")
    assert one.returncode == 0, one.stderr
    assert TAGLINE.encode() not in one.stdout and article(0)[2].encode() in one.stdout
    explain = run("--templates", saved, "--explain", site / "p0.txt")
    assert b"on 6 of 6 pages of this site" in explain.stdout
    # the same as learning in the run
    assert Cleaner(templates=saved).clean(page(0), filename=str(site / "p0.txt")).text + "\n" == one.stdout.decode()


def test_learn_templates_from_jsonl_lists_the_records_that_fail(corpus, tmp_path):
    with corpus.open("a") as f:
        f.write("{not json\n")
    saved = tmp_path / "t.json.gz"
    done = run("learn-templates", corpus, "--url-field", "url", "-o", saved)
    assert done.returncode == 1
    assert b"corpus.jsonl:8: the line is not JSON" in done.stderr
    site = Templates.load(saved).site("news.example")
    assert site is not None and site.pages == 6


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--learn-templates", "-", "-o", "out.jsonl"], "not standard input"),
        (["--templates", "none.json", "page.txt"], "cannot read the templates file none.json"),
        (["--templates", "bad.json", "page.txt"], "bad.json is not a valid templates file"),
        (["--templates", "t.json", "--learn-templates", "page.txt"], "give one"),
        (["learn-templates", "-", "-o", "t.json"], "not standard input"),
        (["learn-templates", "page.txt", "--url-field", "url", "-o", "t.json"], "--url-field names a field"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(tmp_path, args, says):
    (tmp_path / "page.txt").write_text(page(0))
    (tmp_path / "bad.json").write_text('{"format": "cleaner-templates", "version": 1, "sites": []}')
    (tmp_path / "t.json").write_text('{"format": "cleaner-templates", "version": 1, "sites": {}}')
    done = run(*args, cwd=tmp_path, stdin=b"x\n")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and says in lines[0], lines


def test_help_explains_the_options():
    assert b"--learn-templates" in run("--help").stdout
    assert b"learn-templates PAGES" in run("--help").stdout
    learn_help = run_process("learn-templates", "--help").stdout  # the subcommand, as a real process
    assert b"--templates FILE" in learn_help and b"-o, --output FILE" in learn_help


def html_page(n: int) -> bytes:
    headline, *paragraphs = article(n)
    body = "".join(f"<p>{p}</p>" for p in [TAGLINE, *paragraphs, PROMO])
    nav = "".join(f"<a href='/{w}'>{w}</a> " for w in ("Home", "World", "Sport"))
    head = f"<html><head><title>{headline}</title></head><body><nav>{nav}</nav>"
    return f"{head}<article><h1>{headline}</h1>{body}</article><footer>© 2024 The Daily Example</footer></body></html>".encode()


@pytest.mark.parametrize("form", ["wet", "warc"])
def test_warc_and_wet_records_learned_by_their_urls(tmp_path, form):
    from test_batch import write_warc, write_wet

    path = tmp_path / f"crawl.{form}.gz"
    urls = [f"https://news.example/story/{n}" for n in range(6)]
    if form == "wet":
        write_wet(path, [(u, page(n)) for n, u in enumerate(urls)])
    else:
        write_warc(path, [(u, "text/html; charset=utf-8", html_page(n), "200 OK") for n, u in enumerate(urls)])
    outs = {}
    for learn in (False, True):
        out = tmp_path / f"{form}-{learn}.jsonl"
        report = run_batch(BatchConfig(inputs=(str(path),), output=str(out), jobs=1, learn_templates=learn))
        assert report.ok and report.pages_out == 6
        outs[learn] = [r["text"] for r in _records(out)]
    assert all(PROMO in text for text in outs[False])
    assert not any(PROMO in text or TAGLINE in text for text in outs[True])
    assert all(article(n)[2] in text for n, text in enumerate(outs[True]))
