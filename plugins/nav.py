"""nav: menus, section lists, language switchers, breadcrumbs, skip links."""

from __future__ import annotations

import re

from cleaner import Category, Document, Strength, Verdict, hookimpl
from cleaner_plugins import settings
from cleaner_plugins.textstats import is_prose, line_stats, page, phrase_set

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
    if len(parts) < settings.MENU_MIN_ITEMS:
        return False
    return all(line_stats(p).words <= settings.MENU_ITEM_MAX_WORDS and not is_prose(p) for p in parts)


@hookimpl
def cleaner_judge(doc: Document):
    p = page(doc)
    for i in p.short:
        if p.keys[i] in NAV_LABELS:
            yield Verdict.drop(i, Category.NAV, "a navigation label", Strength.RULE)
        elif _language_switcher(p.lows[i]):
            yield Verdict.drop(i, Category.NAV, "a language switcher")
        elif not p.stats[i].sentence_end and _SEPARATORS.search(p.lows[i]) and _menu(doc.blocks[i].text):
            yield Verdict.drop(i, Category.NAV, "a menu: short items between separators")
