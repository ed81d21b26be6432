"""The by-hand measuring tools of benchmarks/ run on a bench folder of the documented layout."""

from __future__ import annotations

import gzip
import json

from benchmarks import stages

STORY = "\n".join([
    "Home", "News", "Sport",
    "A Headline for the Test",
    "The council approved the new budget on Tuesday after a debate that lasted well into the night.",
    "Officials said the plan would fund repairs to the old bridge and two schools in the district.",
    "Advertisement",
    "© 2024 Example Media Group",
])


def _bench(tmp_path):
    folder = tmp_path / "wcxb-dev"
    (folder / "text" / "htmltext").mkdir(parents=True)
    gold = {}
    for pid in ("0001", "0002"):
        gold[pid] = {"url": f"https://example.com/{pid}", "page_type": "article",
                     "ground_truth": {"main_content": STORY, "with": [], "without": []}}
        (folder / "text" / "htmltext" / f"{pid}.txt.gz").write_bytes(gzip.compress(STORY.encode()))
    (folder / "gold-dev.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def test_stages_prints_the_whole_time_the_line_statistics_and_each_stage(tmp_path, capsys):
    assert stages.main(["--bench", str(_bench(tmp_path)), "--top", "50"]) == 0
    out = capsys.readouterr().out
    assert "wcxb htmltext: 2 pages, 16 non-blank lines (8 a page)" in out
    assert "cleaner, whole clean()" in out and "line statistics alone" in out
    for stage in ("(page view)", "engine               settle", "cleaner_revise       context", "cleaner_judge        ad"):
        assert stage in out, stage


def test_stages_leaves_the_plugins_page_view_as_it_was(tmp_path):
    import cleaner_plugins.context as context
    import cleaner_plugins.textstats as textstats

    stages.main(["--bench", str(_bench(tmp_path))])
    assert context.page is textstats.page
