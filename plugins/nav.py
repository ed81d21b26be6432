"""nav: menus, section lists, language switchers, breadcrumbs, skip links."""

from __future__ import annotations

import re
from bisect import bisect_right

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner.textstats import line_stats, phrase_set, prose

# Menu items separated by | / · have at most this many words each.
MENU_ITEM_MAX_WORDS = 4
# ... and a menu line has at least this many items.
MENU_MIN_ITEMS = 3

# Whole-line labels of site navigation, common across sites and languages.
NAV_LABELS = phrase_set(
    """
    menu|main menu|left menu|right menu|open menu|close menu|toggle menu|toggle navigation|navigation
    skip to content|skip to main content|skip to navigation|skip navigation|jump to content
    home|homepage|home page|all sections|sections|all news|all topics|more sections|search|search for
    back|back to top|go to top|top|previous|next|previous article|next article|next story|prev|close
    log in|login|sign in|log out|sign out|my account|account|register|profile
    view all|see all|show all|show more|load more|more|more news|see more
    inicio|início|accueil|startseite|главная|головна|меню|поиск|пошук|suche|buscar|pesquisar|rechercher
    """
)

# Names and codes of languages, as language switchers show them.
LANGUAGES = frozenset(
    """
    en eng english ua укр українська uk ру рус русский ru de deu deutsch fr fra français francais
    es esp español espanol it ita italiano pt português portugues pl polski nl nederlands
    ar عربي العربية zh 中文 ja 日本語 ko 한국어 tr türkçe cs čeština ro română hu magyar
    """.split()
)
# Menu separators: | › » · • anywhere; / > - – only between spaces (not in dates or words).
_SEPARATORS = re.compile(r"\s*(?:[|›»·•]|\s[/>\-–]\s)\s*")


def _language_switcher(low: str) -> bool:
    tokens = low.replace("|", " ").replace("/", " ").split()
    if not tokens or tokens[0] not in LANGUAGES:
        return False
    langs = 0
    for token in tokens:
        if token in LANGUAGES:
            langs += 1
        else:
            break
    return langs >= 2 and len(tokens) <= langs + 3


def _menu(text: str) -> bool:
    parts = [p for p in _SEPARATORS.split(text) if p]
    if len(parts) < MENU_MIN_ITEMS:
        return False
    return all(s.words <= MENU_ITEM_MAX_WORDS and not prose(s) for s in map(line_stats, parts))


def _judge_line(doc: Document, p, i: int) -> Verdict | None:
    """The rule, on the short line ``i`` of the page ``p``."""
    if p.keys[i] in NAV_LABELS:
        return Verdict.drop(i, Category.NAV, "a navigation label", Strength.RULE)
    if _language_switcher(p.lows[i]):
        return Verdict.drop(i, Category.NAV, "a language switcher")
    if not p.stats[i].sentence_end and _SEPARATORS.search(p.lows[i]) and _menu(doc.blocks[i].text):
        return Verdict.drop(i, Category.NAV, "a menu: short items between separators")
    return None


# The rule runs only on the lines that pass one of these cheap tests, which every line it
# drops passes:
# - a label is a key (label_key) of NAV_LABELS;
# - a language switcher starts with two languages between white space, "|" or "/", and
#   label_key strips only those before the first: its key starts as one of _SWITCHER_HEADS
#   (the key's white space is single spaces);
# - a menu holds a separator (_menu_lines: the separators are characters that case-folding
#   leaves as they are and makes of no other, so the page's text holds them where the
#   case-folded lines do).
_HEAD = 4


def _switcher_heads() -> frozenset[str]:
    """The first _HEAD characters of every two languages and what separates them."""
    heads, todo = set(), list(LANGUAGES)
    while todo:
        start = todo.pop()
        if len(start) >= _HEAD:
            heads.add(start[:_HEAD])
            continue
        todo += [start + c for c in " |/"]
        if start[-1] in " |/":
            todo += [start + language for language in LANGUAGES]
    return frozenset(heads)


_SWITCHER_HEADS = _switcher_heads()
_ALWAYS_SEPARATOR = "|›»·•"
_SPACED_SEPARATOR = "/>-–"
# White space within a line (\s but a line break).
_SPACES = frozenset(re.findall(r"\s", "".join(map(chr, range(0x3001))))) - {"\n"}


def _menu_lines(p) -> set[int]:
    """The blocks that hold a _SEPARATORS match: one of _ALWAYS_SEPARATOR, or one of
    _SPACED_SEPARATOR between white space (found with ``str.find`` over the whole page)."""
    joined, starts = p.joined, p.starts
    found = {i for c in _ALWAYS_SEPARATOR for i in p.lines_holding(c)}
    for c in _SPACED_SEPARATOR:
        at = joined.find(c, 1)
        while at > 0:
            if joined[at - 1] in _SPACES and joined[at + 1 : at + 2] in _SPACES:
                found.add(bisect_right(starts, at) - 1)
            at = joined.find(c, at + 1)
    return found


@hookimpl
def cleaner_judge(doc: Document):
    p = doc.view
    found = _menu_lines(p)
    found.update([i for i, key in enumerate(p.keys) if key in NAV_LABELS or key[:_HEAD] in _SWITCHER_HEADS])
    lows = p.lows
    for i in sorted(found):
        if lows[i]:  # a short line (Page.short): the others have no case-folded text
            verdict = _judge_line(doc, p, i)
            if verdict is not None:
                yield verdict
