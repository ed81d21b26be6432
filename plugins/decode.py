"""Load: bytes to text (charset-normalizer), and text-or-HTML sniffing."""

from __future__ import annotations

import codecs
import re

from cleaner import InputError, Kind, hookimpl

# Magic numbers of formats people hand over by mistake, with a name a user knows.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
    (b"\x00\x00\x01\x00", "an icon"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of control bytes (other than tab, CR, LF, FF, ESC) above which content is binary.
MAX_CONTROL_SHARE = 0.05
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 27))


@hookimpl(trylast=True)
def cleaner_decode(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding}: {exc.reason} at byte {exc.start}") from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"this is {what}, not text")
    sample = data[:65536]
    if sample and (b"\x00" in sample or len(sample.translate(None, _CONTROL)) < len(sample) * (1 - MAX_CONTROL_SHARE)):
        raise InputError("this is binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot tell the encoding of the content (not text?)")
    return str(best)


_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_HTML_NAMES = (".html", ".htm", ".xhtml", ".shtml")


@hookimpl(trylast=True)
def cleaner_sniff(content: str, filename: str | None) -> Kind | None:
    if filename and filename.lower().endswith(_HTML_NAMES):
        return Kind.HTML
    if _HTML_START.match(content[:4096]):
        return Kind.HTML
    return Kind.TEXT
