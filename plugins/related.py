"""related: lists of other headlines (Related, Read more, Latest news, time-stamped news feeds)."""

from __future__ import annotations

import re
from itertools import compress, count

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import HEADING_MAX_WORDS, headline_like, phrase_set, section_verdicts

# A run of at least this many headline-like lines outside prose is a list of headlines.
HEADLINE_RUN_MIN = 3

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
    return words <= HEADING_MAX_WORDS and (key in RELATED_HEADINGS or key.startswith(RELATED_PREFIXES))


# "Read more: <headline>", "Related: <headline>" on one line.
_INLINE = re.compile(
    r"^(?:read (?:more|also)|see also|related|also read|читайте также|читайте також|leia também|lee también|lire aussi)"
    r"\s*[:>»|-]\s*\S",
    re.I,
)
_TIMESTAMP = re.compile(r"^\d{1,2}[:.]\d{2}$")


def _judge_line(doc: Document, p, i: int):
    """The rule, on the short line ``i`` of the page ``p``: its verdicts."""
    if is_related_heading(p.keys[i], p.stats[i].words):
        yield from section_verdicts(doc, i, Category.RELATED, "a heading of other headlines")
    elif _INLINE.match(p.lows[i]) and not p.prose[i]:
        yield Verdict.drop(i, Category.RELATED, "a link to another article", Strength.RULE)


# The rule runs only on the lines whose key (label_key: the case-folded line without the
# punctuation around it) is a heading of RELATED_HEADINGS or starts as one of _HEADS, which
# every line it drops does: a RELATED_PREFIXES heading, and an _INLINE line (which starts
# with a letter, so its key starts as the case-folded line does; its IGNORECASE also takes
# the dotless "ı" that case-folding keeps for an "i").
_HEAD = 4
_HEADS = frozenset(
    word[:_HEAD]
    for word in (
        *RELATED_PREFIXES,
        "read ",
        "see also",
        "related",
        "also read",
        "читайте",
        "leia",
        "leıa",
        "lee ",
        "lire",
        "lıre",
    )
)


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    for i in [i for i, key in enumerate(p.keys) if key in RELATED_HEADINGS or key[:_HEAD] in _HEADS]:
        yield from _judge_line(doc, p, i)
    yield from _timestamped_feed(p, _time_stamps(p, doc.blocks))


# A time stamp has four or five characters, and so has its key (it starts and ends with
# a digit, and holds no white space: its key is the line).
_STAMP_LENGTHS = frozenset({4, 5})


def _time_stamps(p, blocks) -> set[int]:
    """The indexes of the blocks that are a time stamp."""
    return {i for i in compress(count(), map(_STAMP_LENGTHS.__contains__, map(len, p.keys))) if _TIMESTAMP.match(blocks[i].text)}


def _timestamped_feed(p, stamps: set[int]):
    """Time stamps alternating with headlines (``19:02`` / headline / ``18:41`` / ...).

    ``p``: the page's view; ``stamps``: the indexes of the blocks that are a time stamp. A
    run starts at one: the blocks before it are skipped as the plain loop (one block at a
    time) would skip them.
    """
    n = len(p.stats)
    resume = 0
    for i in sorted(stamps):
        if i < resume:
            continue
        j = i
        while j + 1 < n and j in stamps and headline_like(p.stats[j + 1]):
            j += 2
        if (j - i) // 2 >= HEADLINE_RUN_MIN:
            for k in range(i, j):
                yield Verdict.drop(k, Category.RELATED, "a time-stamped list of headlines")
            resume = j
