"""Load: bytes to text, and text-or-HTML sniffing.

Decoding, in order (read :func:`decode` top to bottom):

1. a byte-order mark names the encoding (UTF-8, UTF-16, UTF-32);
2. a known file signature (PDF, PNG, gzip...) or binary-looking bytes: an InputError
   that says what the content is;
3. UTF-16 without a mark, told by its zero bytes;
4. valid UTF-8 (by far the web's most common encoding), or UTF-8 with a few damaged bytes
   (a truncated or spliced page): decoded, a damaged byte becoming U+FFFD;
5. else charset-normalizer's candidates among the encodings web pages use, the best
   ranked by: fewest implausible words (a word mixing scripts, a Latin word made of
   accented letters only: Cyrillic read as cp1252), then charset-normalizer's own
   chaos and coherence, then how common the encoding is on the web. Short texts
   (a headline, a menu) give its statistics too little to go on; these tie-breaks
   decide them;
6. nothing fits, but the bytes are text: cp1252, an undefined byte becoming U+FFFD.
   Bytes that are mostly text always give text, never an error.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from cleaner import InputError, Kind, hookimpl

# Signatures of formats people hand over by mistake, with a name a user knows.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file (WAV, AVI, WebP)"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00\x00\x01\x00", "an icon"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes looked at to tell text from binary, and to detect a legacy encoding.
SNIFF_BYTES = 65_536
DETECT_BYTES = 1_000_000
# Share of control bytes (other than tab, LF, FF, CR, ESC) above which content is binary.
MAX_CONTROL_SHARE = 0.05
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 27))
_ASCII = bytes(range(128))
# UTF-16 without a mark: share of 2-byte units with a zero byte on one side (ASCII-range
# text), and at most this share on the other side.
UTF16_MIN_ZERO_SHARE = 0.3
UTF16_MAX_OTHER_ZERO_SHARE = 0.02
# Damaged UTF-8: at least this share of the non-ASCII sequences are valid UTF-8.
UTF8_MIN_VALID_SHARE = 0.9
# Most damaged sequences a BOM-marked text may have (share of its characters).
BOM_MAX_DAMAGED_SHARE = 0.01
# Legacy encodings of the web (WHATWG's list, less the rare ones), the more common first:
# the last tie-break between equally good readings.
WEB_ENCODINGS = (
    "cp1252",
    "cp1251",
    "shift_jis",
    "euc_jp",
    "euc_kr",
    "gb18030",
    "cp1250",
    "iso8859_2",
    "cp1254",
    "cp1256",
    "big5",
    "cp1253",
    "koi8_r",
    "koi8_u",
    "cp1257",
    "iso8859_15",
    "cp1255",
    "cp874",
    "iso8859_5",
    "iso8859_7",
    "cp1258",
    "mac_cyrillic",
)
_RANK = {codecs.lookup(name).name: rank for rank, name in enumerate(WEB_ENCODINGS)}
# Characters scored for plausibility per candidate reading (enough for a verdict, cheap).
SCORE_CHARS = 20_000
# A Latin word with at least this many accented letters, making up at least this share of
# its letters, is another script read in the wrong code page (Íîâîñòè for Новости).
ACCENTED_WORD_MIN = 3
ACCENTED_WORD_SHARE = 0.75
# Non-letters that do occur inside words: apostrophes, middle dot, hyphens, soft hyphen.
_INSIDE_WORD = frozenset("\u2019\u2018\u02bc\u00b7\u2010\u2011\u00ad\u2013")


@hookimpl(trylast=True)
def cleaner_decode(data: bytes) -> str | None:
    return decode(data)


def decode(data: bytes) -> str:
    """The text of ``data``; InputError if it is not text at all."""
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_marked(data, encoding)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"this is {what}, not text")
    sample = data[:SNIFF_BYTES]
    utf16 = _utf16_without_mark(sample)
    if utf16:
        return _decode_marked(data, utf16)
    if b"\x00" in sample or len(sample.translate(None, _CONTROL)) < len(sample) * (1 - MAX_CONTROL_SHARE):
        raise InputError("this is binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    repaired = _damaged_utf8(data)
    if repaired is not None:
        return repaired
    legacy = detect_legacy(data[:DETECT_BYTES])
    return data.decode(legacy or "cp1252", errors="replace")


def _decode_marked(data: bytes, encoding: str) -> str:
    """Decode text whose encoding is known; a few damaged sequences become U+FFFD."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    text = data.decode(encoding, errors="replace")
    damaged = text.count("\ufffd")
    if damaged > max(1, len(text) * BOM_MAX_DAMAGED_SHARE):
        name = encoding.removesuffix("-sig")
        raise InputError(f"starts as {name} text, but {damaged} sequences are not valid {name}")
    return text


def _utf16_without_mark(sample: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the zero bytes fall on one side only."""
    units = len(sample) // 2
    if units < 2 or b"\x00" not in sample:
        return None
    even = sample[0 : units * 2 : 2].count(0) / units
    odd = sample[1 : units * 2 : 2].count(0) / units
    if odd >= UTF16_MIN_ZERO_SHARE and even <= UTF16_MAX_OTHER_ZERO_SHARE:
        return "utf-16-le"
    if even >= UTF16_MIN_ZERO_SHARE and odd <= UTF16_MAX_OTHER_ZERO_SHARE:
        return "utf-16-be"
    return None


def _damaged_utf8(data: bytes) -> str | None:
    """The text, if ``data`` is UTF-8 with a few bad bytes (almost all its non-ASCII is valid)."""
    text = data.decode("utf-8", errors="replace")
    # An ASCII byte is never part of a replaced sequence, so the rest are the non-ASCII characters.
    non_ascii = len(text) - (len(data) - len(data.translate(None, _ASCII)))
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = non_ascii - replaced
    if valid >= UTF8_MIN_VALID_SHARE * non_ascii:
        return text
    return None


def detect_legacy(sample: bytes) -> str | None:
    """The most plausible legacy web encoding of ``sample`` (not UTF-8), or None."""
    from charset_normalizer import from_bytes

    cut = sample.rfind(b"\n", len(sample) // 2) if len(sample) == DETECT_BYTES else -1
    if cut > 0:  # do not cut a multi-byte character in two
        sample = sample[:cut]
    best: tuple[tuple[int, float, float, int], str] | None = None
    for match in from_bytes(sample, cp_isolation=list(WEB_ENCODINGS)):
        names = [match.encoding, *match.could_be_from_charset]
        rank = min((_RANK.get(codecs.lookup(n).name, len(_RANK)) for n in names), default=len(_RANK))
        encoding = WEB_ENCODINGS[rank] if rank < len(_RANK) else match.encoding
        key = (implausible_words(str(match)[:SCORE_CHARS]), round(match.chaos, 2), -round(match.coherence, 2), rank)
        if best is None or key < best[0]:
            best = (key, encoding)
    return best[1] if best else None


_WORDS = re.compile(r"[^\W\d_](?:[^\W\d_]|[^\w\s])*[^\W\d_]|[^\W\d_]")


def implausible_words(text: str) -> int:
    """How many words of ``text`` no language writes, a sign of the wrong code page.

    A word mixing two scripts (``Cafй``), a Latin word of accented letters only
    (``ìèð``), a symbol between two letters (``Za¿ó³æ``).
    """
    count = 0
    for word in _WORDS.findall(text):
        if word.isascii():
            continue
        scripts: set[str] = set()
        accented = letters = 0
        bad = False
        for ch in word:
            if not ch.isalpha():
                if not ch.isascii() and ch not in _INSIDE_WORD and not unicodedata.category(ch).startswith("M"):
                    bad = True
                continue
            letters += 1
            if ch.isascii():
                scripts.add("LATIN")
                continue
            name = unicodedata.name(ch, "")
            script = name.split(" ", 1)[0]
            scripts.add("CJK" if script in ("CJK", "HIRAGANA", "KATAKANA") else script)
            if script == "LATIN":
                accented += 1
        if bad or len(scripts) > 1:
            count += 1
        elif scripts == {"LATIN"} and accented >= ACCENTED_WORD_MIN and accented >= ACCENTED_WORD_SHARE * letters:
            count += 1
    return count


_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
_HTML_NAMES = (".html", ".htm", ".xhtml", ".shtml")


@hookimpl(trylast=True)
def cleaner_sniff(content: str, filename: str | None) -> Kind | None:
    if filename and filename.lower().endswith(_HTML_NAMES):
        return Kind.HTML
    if _HTML_START.match(content[:4096]):
        return Kind.HTML
    return Kind.TEXT
