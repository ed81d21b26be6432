"""related: lists of other headlines (Related, Read more, Latest news, time-stamped news feeds)."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins import settings
from cleaner_plugins.textstats import is_headline_like, is_prose, page, phrase_set, section_verdicts

RELATED_HEADINGS = phrase_set(
    """
    related|related articles|related news|related stories|related posts|related content|related topics
    read more|read also|read next|also read|see also|more from|more stories|more news|more on this
    more on this story|more in|more articles|latest|latest news|latest stories|latest articles|recent news
    recent posts|recent articles|recent stories|news feed|you may also like|you might also like
    you may be interested in|recommended|recommended for you|recommended stories|don't miss|more to read
    other news|in other news|more headlines|headlines|opinion|editor's choice
    читайте также|по теме|смотрите также|новости по теме|последние новости|читайте також|по темі
    останні новини|новини|leia também|veja também|últimas notícias|lee también|te puede interesar
    últimas noticias|noticias relacionadas|à lire aussi|lire aussi|voir aussi|dernières actualités
    weitere artikel|mehr zum thema|das könnte sie auch interessieren|neueste artikel|leggi anche
    potrebbe interessarti|ultime notizie|関連記事|関連ニュース|最新ニュース|相关新闻|相關新聞|관련기사
    """
)
# Headings that name where the other stories come from: "More from <site>", "Latest in <section>".
RELATED_PREFIXES = tuple(
    p + " "
    for p in phrase_set(
        """
        more from|more in|more on|more stories from|more news from|latest from|latest in|other stories in
        mais de|mais em|más de|más en|plus de|mehr aus|mehr von|mehr zu|altro da|altri articoli|ещё из|еще из
        больше из|більше з
        """
    )
)


def is_related_heading(key: str, words: int) -> bool:
    """A heading over a list of other stories: a known heading, or "More from <somewhere>"."""
    return words <= settings.HEADING_MAX_WORDS and (key in RELATED_HEADINGS or key.startswith(RELATED_PREFIXES))


# "Read more: <headline>", "Related: <headline>" on one line.
_INLINE = re.compile(r"^(?:read (?:more|also)|see also|related|also read|читайте также|читайте також|leia também|lee también|lire aussi)\s*[:>»|-]\s*\S", re.I)
_TIMESTAMP = re.compile(r"^\d{1,2}[:.]\d{2}$")


@hookimpl
def cleaner_judge(doc: Document):
    blocks = doc.blocks
    p = page(doc)
    for i in p.short:
        if is_related_heading(p.keys[i], p.stats[i].words):
            yield from section_verdicts(doc, i, Category.RELATED, "a heading of other headlines")
        elif _INLINE.match(p.lows[i]) and not is_prose(blocks[i].text):
            yield Verdict.drop(i, Category.RELATED, "a link to another article", Strength.RULE)
    yield from _timestamped_feed(blocks)


def _timestamped_feed(blocks):
    """Time stamps alternating with headlines (``19:02`` / headline / ``18:41`` / ...)."""
    i, n = 0, len(blocks)
    while i < n:
        j = i
        while j + 1 < n and _TIMESTAMP.match(blocks[j].text) and is_headline_like(blocks[j + 1].text):
            j += 2
        if (j - i) // 2 >= settings.HEADLINE_RUN_MIN:
            for k in range(i, j):
                yield Verdict.drop(k, Category.RELATED, "a time-stamped list of headlines")
            i = j
        else:
            i += 1
