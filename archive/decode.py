"""Bytes to text, or a one-line reason why not.

Files in a news archive come from anywhere: scrapers that saved Windows-1252,
exports with a UTF-8 byte-order mark, a stray PDF renamed ``.txt``.  This
module decides, before any format parser sees the data, whether the bytes are
text at all and which charset they are in.  It never raises anything but
:class:`DecodeError`, whose message is the reason the loader reports.

Charset detection follows what browsers do: a BOM wins, then strict UTF-8
(by far the most common case, and cheap to try), then the declared charset
(``<meta charset>`` for HTML, handled by :class:`bs4.UnicodeDammit`), then
statistical detection.  Windows-1252 is the last resort because every byte
sequence decodes in it.
"""
from __future__ import annotations

import codecs

from bs4 import UnicodeDammit

#: Largest file read whole (txt, html, json).  A 50 MB "article" is not an
#: article: it is a dump, a log or a mistake, and parsing it as HTML would
#: stall a reindex for minutes.  JSONL is streamed line by line instead, so a
#: large JSONL export still loads; only its single lines are held to
#: :data:`MAX_RECORD_BYTES`.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_RECORD_BYTES = 5 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Bytes that never occur in text: NUL and the C0 controls other than
# tab/newline/form feed/carriage return/escape.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "gzip-compressed data",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
}


class DecodeError(ValueError):
    """The bytes are not usable text; ``str(err)`` is the one-line reason."""


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` looks binary, or None if it may be text.

    Looks at the first 8 KB only: a known file signature, or more than a few
    control bytes (NUL above all), means binary.  UTF-16/32 text is full of
    NULs, so data with such a BOM is never called binary here.
    """
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"binary file ({what})"
    if b"\x00" in head:
        return "binary file (contains NUL bytes)"
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    if head and controls / len(head) > 0.01:
        return f"binary file ({controls} control bytes in the first {len(head)})"
    return None


def decode(data: bytes, is_html: bool = False) -> tuple[str, str]:
    """Return ``(text, encoding)`` for ``data`` or raise :class:`DecodeError`.

    The text has its BOM removed.  ``encoding`` names what was used, so a
    caller can tell the user that a file was read as e.g. ``windows-1252``.
    """
    if not data.strip():
        raise DecodeError("empty file")
    reason = binary_reason(data)
    if reason:
        raise DecodeError(reason)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise DecodeError(f"invalid {enc} after a byte-order mark at byte {e.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes (a truncated character, one pasted
    # Latin-1 quote) is still UTF-8: guessing another charset for the whole
    # file would garble every other non-ASCII character in it.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = sum(1 for ch in lenient if ord(ch) > 127)
    if bad <= max(3, len(lenient) // 2000) and non_ascii > 2 * bad:
        return lenient, f"utf-8 ({bad} invalid byte sequence(s) replaced)"
    # Not UTF-8: let bs4 weigh declared encodings (HTML meta, XML declaration)
    # and charset detection; cp1252 and latin-1 as the fallbacks it tries last.
    dammit = UnicodeDammit(data, known_definite_encodings=[], is_html=is_html,
                           user_encodings=["windows-1252"])
    if dammit.unicode_markup is None:
        raise DecodeError("undecodable text (no charset fits)")
    text = dammit.unicode_markup
    # A file whose decoding is mostly replacement characters is not text.
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise DecodeError(f"undecodable text (best guess {dammit.original_encoding})")
    return text, (dammit.original_encoding or "unknown").lower()
