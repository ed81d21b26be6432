"""The label detectors' fast paths give the verdicts of their rule tested on every line.

social, nav, footer, related and ad run their rule (``_judge_line``) only on the lines
that pass cheap tests of the label key, the case-folded line or the page's text; trending
skips pages without a heading; duplicate looks only at repeated lines. Each is checked
here against the plain loop it replaces, on lines made to trip the cheap tests: every
phrase of the lexicons in other cases and spellings (dotless ı, İ, ſ, the Kelvin sign,
ß), between separators and other white space.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cleaner import Block, Category, Decision, Document, Verdict
from cleaner.textstats import HEADING_MAX_WORDS, is_headline_like, section_verdicts
from cleaner_plugins import ad, duplicate, footer, nav, related, social, trending


def _doc(lines: list[str]) -> Document:
    return Document(tuple(Block(i, i + 1, t, t) for i, t in enumerate(lines)))


def _key(v: Verdict):
    return (v.index, v.category, v.reason, v.strength)


def _per_line(module, doc: Document) -> list:
    """The rule of ``module`` on every short line, in order."""
    p = doc.view
    found = []
    for i in p.short:
        verdicts = module._judge_line(doc, p, i)
        if isinstance(verdicts, Verdict):
            verdicts = [verdicts]
        found += [v for v in verdicts or () if v is not None]
    return found


def _plain_feed(blocks) -> list[Verdict]:
    """related's time-stamped feeds, one block at a time (the loop the fast one replaces)."""
    out = []
    i, n = 0, len(blocks)
    while i < n:
        j = i
        while j + 1 < n and related._TIMESTAMP.match(blocks[j].text) and is_headline_like(blocks[j + 1].text):
            j += 2
        if (j - i) // 2 >= related.HEADLINE_RUN_MIN:
            out += [Verdict.drop(k, Category.RELATED, "a time-stamped list of headlines") for k in range(i, j)]
            i = j
        else:
            i += 1
    return out


def _plain_trending(doc) -> list[Verdict]:
    p = doc.view
    out: list[Verdict] = []
    for i in p.short:
        if p.keys[i] in trending.TRENDING_HEADINGS and p.stats[i].words <= HEADING_MAX_WORDS:
            out += section_verdicts(doc, i, Category.TRENDING, "a trending heading")
    return out


def _plain_footer(doc) -> list[Verdict]:
    """footer's rule on every short line, then its cookie rule on every other line."""
    labels = _per_line(footer, doc)
    judged = {v.index for v in labels}
    cookies = [
        Verdict.drop(b.index, Category.FOOTER, "a cookie notice")
        for b in doc.blocks
        if b.index not in judged and footer.is_cookie_notice(b.text)
    ]
    return labels + cookies


def _assert_fast_is_plain(lines: list[str]) -> None:
    doc = _doc(lines)
    for module in (social, nav, ad):
        assert list(map(_key, module.cleaner_judge(doc))) == list(map(_key, _per_line(module, doc))), module.__name__
    assert list(map(_key, footer.cleaner_judge(doc))) == list(map(_key, _plain_footer(doc)))
    expected = _per_line(related, doc) + _plain_feed(doc.blocks)
    assert list(map(_key, related.cleaner_judge(doc))) == list(map(_key, expected))
    assert list(map(_key, trending.cleaner_judge(doc) or ())) == list(map(_key, _plain_trending(doc)))


# -- the facts about case-folding the cheap tests rely on -------------------------------

_EVERY_CHARACTER = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]


def test_case_folding_leaves_separators_and_white_space_alone_and_makes_none():
    """nav and footer find these characters in the page's text, not in the case-folded lines."""
    kept = set("©@:()|›»·•/>-–") | {c for c in _EVERY_CHARACTER if c.isspace()}
    for c in _EVERY_CHARACTER:
        folded = c.casefold()
        if c in kept:
            assert folded == c
        else:
            assert not kept.intersection(folded), hex(ord(c))


def test_on_case_folded_text_ignorecase_takes_only_the_dotless_i_for_another_letter():
    """The cheap tests look for the words of IGNORECASE patterns in case-folded text."""
    folded = "".join(c.casefold() for c in _EVERY_CHARACTER)
    letters = set("abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґáàâãçéêíóôõúüäöß")
    for letter in sorted(letters):
        others = set(re.findall(re.escape(letter), folded, re.IGNORECASE)) - {letter}
        assert others == ({"ı"} if letter == "i" else set()), (letter, others)


def test_ignorecase_takes_for_an_ascii_letter_only_its_cases_the_long_s_the_kelvin_sign_and_the_i_s():
    """ad's prompt pattern runs on the line's text, its cheap test on the case-folded key."""
    ascii_letters = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    others = set(re.findall("[a-z]", "".join(_EVERY_CHARACTER), re.IGNORECASE)) - ascii_letters
    assert others == {"ſ", "\u212a", "İ", "ı"}
    assert ("ſ".casefold(), "\u212a".casefold()) == ("s", "k")


def test_space_set_is_white_space_within_a_line():
    assert nav._SPACES == {c for c in _EVERY_CHARACTER if re.match(r"\s", c)} - {"\n"}


# -- the detectors on tricky lines --------------------------------------------------------


def _spellings(phrase: str) -> list[str]:
    odd = (
        phrase.replace("i", "ı"),
        phrase.upper().replace("I", "İ"),
        phrase.replace("s", "ſ"),
        phrase.replace("k", "\u212a"),
        phrase.replace("ss", "ß"),
    )
    return [phrase, phrase.upper(), phrase.title(), *odd]


_PROMPTS = [
    "Follow us on Twitter",
    "like our page",
    "Join us",
    "join our team",
    "Connect with us",
    "connect us",
    "Share this",
    "share via email",
    "Share on Facebook",
    "Subscribe to our newsletter",
    "Sign up for our newsletter",
    "register for the weekly newsletter",
    "12 comments",
    "3 Shares",
    "1 comment",
    "comments",
    "Please support us",
    "Donate now",
    "Make a donation",
    "Subscribe now",
    "Become a member",
    "You can become a patron",
    "become our supporters",
    "Please donate",
    "support our journalism",
    "© 2024 Example Media",
    "(C) 2024 Foo",
    "Copyright 2024 Foo",
    "All Rights Reserved.",
    "Все права защищены",
    "всі права захищені",
    "Privacy Policy | Terms of Use",
    "Terms of Service",
    "Cookie Policy",
    "Disclaimer",
    "Impressum",
    "Email: a@b.co",
    "E-mail: x",
    "Tel.: 123",
    "telephone : 555",
    "Телефон: 123",
    "тел.: 1",
    "Fax: 2",
    "Address: Main St 1",
    "Contact: us",
    "foo@bar.com",
    "..@x.y",
    "first.last+tag@mail.example.org",
    "Phone : 1",
    "EN | DE | FR",
    "en/de",
    "English Deutsch Français",
    "ua ru en",
    "| en | de |",
    "Home › World › Europe",
    "News - Sport - Weather - Culture",
    "a\t-\tb\t-\tc\t-\td",
    "a\u00a0/\u00a0b / c / d",
    "A • B • C",
    "one » two » three",
    "x·y·z",
    "a > b > c > d",
    "Skip to content",
    "Related: Some headline here",
    "READ MORE: a story",
    "Read more » a story",
    "See also - this",
    "Also read | that",
    "Читайте также: новости",
    "Leia também: isto",
    "Lee también: esto",
    "Lire aussi : ça",
    "More from BBC News",
    "Latest in Sport",
    "Más de Europa",
    "Ещё из раздела",
    "Advertisement",
    "ADVERTISEMENT",
    "Sponsored content",
    "Facebook Twitter LinkedIn Email",
    "facebook | twitter | x",
    "x, facebook",
    "X | Facebook",
    "ok vk",
    "e-mail print copy link",
    "Whatsapp Telegram",
    "what's up",
    "Threads bluesky",
    "line, mail",
    "We use cookies",
    "This website uses cookies to improve your experience.",
    "Accept all cookies",
    "Necessary cookies are essential",
    "The cookie is set by the consent plugin",
    "cookie consent",
    "Cookie Policy",
    "Nous utilisons des cookies",
    "Wir verwenden Cookies",
    "Мы используем файлы cookie",
    "Utilizziamo i cookie",
    "cookies are delicious",
    "third-party cookies track users",
    "these cookies are set by us",
]
_SEPARATORS = [" ", " | ", "|", "/", " / ", " · ", "•", ", ", " - ", " – ", " › ", "\t", "\u00a0", " > ", ": ", "  "]


def _tricky_lines() -> list[str]:
    phrases = set(_PROMPTS)
    for lexicon in (
        social.SOCIAL_LABELS,
        social.NETWORKS,
        nav.NAV_LABELS,
        nav.LANGUAGES,
        footer.FOOTER_LABELS,
        related.RELATED_HEADINGS,
        ad.AD_LABELS,
        trending.TRENDING_HEADINGS,
    ):
        phrases.update(lexicon)
    phrases.update(prefix + "somewhere" for prefix in related.RELATED_PREFIXES)
    lines = []
    for phrase in sorted(phrases):
        for spelling in _spellings(phrase):
            lines += [spelling, f"• {spelling}", f"{spelling}:", f"({spelling})", f"| {spelling} |", f"{spelling} us"]
    return lines


def test_fast_paths_agree_with_the_rule_on_every_line():
    lines = _tricky_lines()
    for start in range(0, len(lines), 400):
        _assert_fast_is_plain(lines[start : start + 400])


def test_rows_of_names_between_every_separator():
    names = sorted(social.NETWORKS) + sorted(nav.LANGUAGES)
    lines = []
    for k, separator in enumerate(_SEPARATORS):
        for n, name in enumerate(names):
            other = names[(n * 7 + k) % len(names)]
            third = names[(n * 13 + k) % len(names)]
            for spelling in (name, name.upper(), name.title()):
                lines += [spelling + separator + other, separator + spelling + separator + other + separator + third]
    for start in range(0, len(lines), 400):
        _assert_fast_is_plain(lines[start : start + 400])


_WORDS = [w for phrase in _PROMPTS for w in phrase.split()] + sorted(social.NETWORKS) + sorted(nav.LANGUAGES)
_PIECES = st.sampled_from(
    _WORDS + _SEPARATORS + ["19:02", "7.45", "©", "@", "(c)", "ı", "İ", "ſ", "ß", "\u212a", "-", ".", "_", "…"]
)


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=9).map("".join), min_size=1, max_size=12))
def test_fast_paths_agree_with_the_rule_on_made_up_lines(lines):
    lines = [t.strip() for t in lines if t.strip()] or ["a"]
    _assert_fast_is_plain(lines)


def test_a_time_stamped_feed_and_its_neighbours():
    headline = "Stocks fall as rates rise again"
    feed = ["19:02", headline, "18:41", headline, "7.45", headline, "07:30", headline]
    cases = [
        feed,
        ["12:00", *feed, "not a stamp"],
        ["19:02", headline, "18:41", "18:40", headline, "7.45", headline, "07:30", headline, "06:00"],
        [*feed[:4], "A sentence that ends here.", *feed],
        ["19:02", headline] * 3 + ["19:02"],
        ["19:02", "18:41", headline, "17:00", headline, "16:00", headline],
    ]
    for lines in cases:
        doc = _doc(lines)
        assert list(map(_key, related.cleaner_judge(doc))) == list(map(_key, _per_line(related, doc) + _plain_feed(doc.blocks)))


# -- duplicate ----------------------------------------------------------------------------


def _plain_duplicate(doc, decisions) -> list:
    seen: set[str] = set()
    out = []
    for d in decisions:
        if not d.keep:
            continue
        key = d.block.text.casefold()
        if doc.counts.get(key, 1) > 1:
            if key in seen:
                out.append(Verdict.drop(d.block.index, Category.DUPLICATE, "a copy of a line already kept"))
            seen.add(key)
    return out


_LONG = "A long paragraph " * 13  # over LABEL_MAX_CHARS
_STRASSE = "Straße " * 28  # 196 characters, 224 once case-folded


@hsettings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Home", "HOME", "home", "News", "a", _LONG, _LONG.upper(), _STRASSE, _STRASSE.casefold(), "ß", "ss"]),
        min_size=1,
        max_size=14,
    ),
    st.data(),
)
def test_duplicate_agrees_with_the_plain_loop(lines, data):
    doc = _doc(lines)
    _ = doc.view
    decisions = []
    for block in doc.blocks:
        kind = data.draw(st.sampled_from(["keep", "drop", "kept by request"]))
        verdict = None if kind == "keep" else Verdict.drop(block.index, Category.NAV, "x")
        decisions.append(Decision(block, verdict, verdict, kept_by_request=kind == "kept by request"))
    revised = duplicate.cleaner_revise(doc, tuple(decisions)) or ()
    assert list(map(_key, revised)) == list(map(_key, _plain_duplicate(doc, decisions)))


def test_duplicate_on_a_page_where_nothing_repeats():
    doc = _doc(["one", "two", _LONG])
    assert list(duplicate.cleaner_revise(doc, tuple(Decision(b, None) for b in doc.blocks)) or ()) == []
