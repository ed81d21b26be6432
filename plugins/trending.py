"""trending: a TRENDING / Most read / Popular heading and the list of headlines under it."""

from __future__ import annotations

from cleaner import Category, Document, hookimpl
from cleaner.textstats import HEADING_MAX_WORDS, phrase_set, section_verdicts

TRENDING_HEADINGS = phrase_set(
    """
    trending|trending now|trending news|trending stories|trending topics|now trending|popular|most popular
    popular now|popular news|popular stories|popular posts|most read|most viewed|most watched|most shared
    most commented|most emailed|top stories|top news|top reads|hot|hot news|what's hot|editor's picks
    mais lidas|mais lidos|mais vistos|em alta|más leídas|más leído|lo más visto|lo más leído|tendencias
    les plus lus|les plus populaires|à la une|meistgelesen|am meisten gelesen|beliebt|i più letti|più letti
    популярное|самое читаемое|самое популярное|популярні|найпопулярніше|найчитаніше|топ новости
    人気|人気記事|ランキング|热门|熱門|인기|najpopularniejsze|najczęściej czytane|populair|meest gelezen
    """
)


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    if TRENDING_HEADINGS.isdisjoint(p.keys):  # most pages: no heading at all
        return
    for i, key in enumerate(p.keys):
        if key in TRENDING_HEADINGS and p.stats[i].words <= HEADING_MAX_WORDS:
            yield from section_verdicts(doc, i, Category.TRENDING, "a trending heading")
