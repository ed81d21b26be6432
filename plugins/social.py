"""social: follow and share prompts, social network link rows, newsletter sign-ups, feedback."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import phrase_set

# A whole-line label (Advertisement, Menu, Share) has at most this many words.
LABEL_MAX_WORDS = 8

NETWORKS = frozenset(
    """
    facebook twitter x instagram linkedin youtube telegram whatsapp pinterest reddit tiktok vk viber
    quora rss flipboard mastodon threads bluesky tumblr snapchat line wechat weibo email e-mail mail
    print copy link share tweet pin messenger ok xing skype discord twitch
    """.split()
)
SOCIAL_LABELS = phrase_set(
    """
    share|share this|share this article|share this story|share on|share article|shares|tweet|comments
    leave a comment|post a comment|add comment|write a comment|show comments|view comments|comment
    give feedback|feedback|send feedback|follow us|follow|connect with us|connect us on|join us
    newsletter|subscribe to our newsletter|sign up for our newsletter|sign up to our newsletter
    поделиться|поділитися|compartilhar|compartir|partager|teilen|condividi
    """
)
_PROMPT = re.compile(
    r"^(?:follow|like|join)\s+(?:us|our)\b|^connect\s+(?:with\s+)?us\b|^share\s+(?:this|on|via)\b"
    r"|\b(?:subscribe|sign\s+up|register)\b.{0,30}\bnewsletter\b|^(?:\d+\s+)?(?:comments?|shares?)$",
    re.I,
)


# Network names that are also ordinary words: not a social label alone.
_AMBIGUOUS = frozenset({"x", "line", "ok", "mail", "print", "share", "pin", "threads"})
_LABELS = SOCIAL_LABELS | (NETWORKS - _AMBIGUOUS)
_ROW_SEPARATORS = re.compile(r"[\s|,/·•]+")


def _network_row(low: str) -> bool:
    tokens = [t for t in _ROW_SEPARATORS.split(low) if t]
    if not tokens or tokens[0] not in NETWORKS:
        return False
    return len(tokens) >= 2 and all(t in NETWORKS for t in tokens)


def _judge_line(doc: Document, p, i: int) -> Verdict | None:
    """The rule, on the short line ``i`` of the page ``p``."""
    words = p.stats[i].words
    if words > LABEL_MAX_WORDS * 2:
        return None
    key = p.keys[i]
    if key in _LABELS:
        return Verdict.drop(i, Category.SOCIAL, "a social or feedback label", Strength.RULE)
    if words >= 2 and _network_row(p.lows[i]):
        return Verdict.drop(i, Category.SOCIAL, "a row of social network links", Strength.RULE)
    if words <= LABEL_MAX_WORDS and _PROMPT.search(p.lows[i]):
        return Verdict.drop(i, Category.SOCIAL, "a follow, share or newsletter prompt")
    return None


# The rule runs only on the lines whose key (label_key: the case-folded line without the
# punctuation around it, white space as single spaces) passes one of these cheap tests,
# which every line it drops passes:
# - a label is a key of _LABELS;
# - a row of networks is a network name, then separators and names, and label_key strips
#   only the separators before the first name: its key starts as one of _row_heads();
# - _PROMPT (on the case-folded line, where its IGNORECASE also takes the dotless "ı" that
#   case-folding keeps for an "i") starts with follow, like, join, connect or share, holds
#   "newsletter", or is a count of comments or shares.
_SEPARATOR_CHARS = " |,/·•"
_HEAD = 4


def _row_heads() -> frozenset[str]:
    """The first _HEAD characters of every row of network names (or the whole row)."""
    heads, todo = set(), list(NETWORKS)
    while todo:
        row = todo.pop()
        heads.add(row[:_HEAD])
        if len(row) < _HEAD:
            todo += [row + c for c in _SEPARATOR_CHARS]
            if row[-1] in _SEPARATOR_CHARS:
                todo += [row + name for name in NETWORKS]
    return frozenset(heads)


_HEADS = _row_heads() | {word[:_HEAD] for word in ("follow", "like", "lıke", "join", "joın", "connect", "share")}
_COUNTED = ("comment", "comments", "share", "shares")


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    for i in [
        i
        for i, key in enumerate(p.keys)
        if key in _LABELS or key[:_HEAD] in _HEADS or "newsletter" in key or key.endswith(_COUNTED)
    ]:
        verdict = _judge_line(doc, p, i)
        if verdict is not None:
            yield verdict
