"""The by-hand measuring tools of benchmarks/ run on a bench folder of the documented layout."""

from __future__ import annotations

import gzip
import json

from benchmarks import headlines, stages

STORY = "\n\n".join(
    [
        "Home",
        "News",
        "Sport",
        "A Headline for the Test",
        "The harbour reopened to fishing boats on Monday, three weeks after the storm that tore two of its piers "
        "from the sea wall and sank a dozen of the smaller boats at their moorings.",
        "Engineers spent most of that time checking the wall itself, which the town built more than a century ago, "
        "and found it sound apart from a few stones that divers replaced last week.",
        "The fishermen said they had lost most of a season, and the town council has promised to help those who "
        "cannot pay for the repairs to their boats before the summer.",
        "Advertisement",
        "© 2024 Example Media Group",
    ]
)


def _bench(tmp_path):
    folder = tmp_path / "wcxb-dev"
    (folder / "text" / "htmltext").mkdir(parents=True)
    gold = {}
    for pid in ("0001", "0002"):
        gold[pid] = {
            "url": f"https://example.com/{pid}",
            "page_type": "article",
            "ground_truth": {"main_content": STORY, "title": "A Headline for the Test", "with": [], "without": []},
        }
        (folder / "text" / "htmltext" / f"{pid}.txt.gz").write_bytes(gzip.compress(STORY.encode()))
    (folder / "gold-dev.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def test_stages_prints_the_whole_time_the_line_statistics_and_each_stage(tmp_path, capsys):
    assert stages.main(["--bench", str(_bench(tmp_path)), "--top", "50"]) == 0
    out = capsys.readouterr().out
    assert "wcxb htmltext: 2 pages, 18 non-blank lines (9 a page)" in out
    assert "cleaner, whole clean()" in out and "line statistics alone" in out
    for stage in ("(page view)", "engine               settle", "cleaner_revise       context", "cleaner_judge        ad"):
        assert stage in out, stage


def test_stages_leaves_the_plugins_page_view_as_it_was(tmp_path):
    from cleaner.model import Document

    view = Document.__dict__["view"]
    stages.main(["--bench", str(_bench(tmp_path))])
    assert Document.__dict__["view"] is view


def test_headlines_scores_the_headline_against_the_gold_title(tmp_path, capsys):
    assert headlines.main(["--bench", str(_bench(tmp_path)), "--renderer", "htmltext"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    assert rows == [
        ["htmltext", "article", "2", "100.0%", "0.0%", "0.0%", "0.0%", "100.0%"],
        ["htmltext", "all", "2", "100.0%", "0.0%", "0.0%", "0.0%", "100.0%"],
    ]


def test_headline_outcomes():
    assert headlines.outcome("Council approves the budget", "Council Approves the Budget!") == "exact"
    assert headlines.outcome("Council approves the budget", "Council approves the budget | Example News") == "part"
    assert headlines.outcome("2 min read", "Council approves the budget") == "wrong"
    assert headlines.outcome(None, "Council approves the budget") == "none"
