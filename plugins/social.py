"""social: follow and share prompts, social network link rows, newsletter sign-ups, feedback."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins import settings
from cleaner_plugins.textstats import page, phrase_set

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
_ROW_SEPARATORS = re.compile(r"[\s|,/·•]+")


def _network_row(low: str) -> bool:
    tokens = [t for t in _ROW_SEPARATORS.split(low) if t]
    if not tokens or tokens[0] not in NETWORKS:
        return False
    return len(tokens) >= 2 and all(t in NETWORKS for t in tokens)


@hookimpl
def cleaner_judge(doc: Document):
    p = page(doc)
    for i in p.short:
        words = p.stats[i].words
        if words > settings.LABEL_MAX_WORDS * 2:
            continue
        key = p.keys[i]
        if key in SOCIAL_LABELS or (key in NETWORKS and key not in _AMBIGUOUS):
            yield Verdict.drop(i, Category.SOCIAL, "a social or feedback label", Strength.RULE)
        elif words >= 2 and _network_row(p.lows[i]):
            yield Verdict.drop(i, Category.SOCIAL, "a row of social network links", Strength.RULE)
        elif words <= settings.LABEL_MAX_WORDS and _PROMPT.search(p.lows[i]):
            yield Verdict.drop(i, Category.SOCIAL, "a follow, share or newsletter prompt")
