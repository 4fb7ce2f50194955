"""Free text on its way in: one normal form, no invisible control characters.

:func:`clean_text` is applied to every text column the store writes
(:func:`geo.store.base.encode`), so whatever path a text takes in — a
resident's form, an import, the command line — it is stored:

- in Unicode NFC (``é`` typed or pasted in either form compares equal);
- without ANSI escape sequences (``ESC [31m``), NUL and the other C0/C1
  control characters (tab and newline stay; a carriage return becomes a
  newline);
- without the bidirectional embedding, override and isolate characters
  (U+202A–U+202E, U+2066–U+2069) and the LRM/RLM/ALM marks that make
  ``txt.exe`` look like ``exe.txt`` on a moderator's screen;
- without a byte-order mark or line/paragraph separators (U+2028/U+2029
  become newlines).

Zero-width joiners stay: emoji sequences need them.
"""

from __future__ import annotations

import re
import unicodedata

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_DROP: dict[int, str | None] = {ord(c): None for c in BIDI_CONTROLS | {"\ufeff"}}
_DROP.update({c: None for c in [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f, *range(0x80, 0xa0)]})
_DROP.update({0x2028: "\n", 0x2029: "\n"})


def strip_controls(value: str) -> str:
    """``value`` without ANSI escapes, control and bidi-control characters."""
    value = _ANSI.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.translate(_DROP)


def clean_text(value: str) -> str:
    """NFC and :func:`strip_controls`; non-text comes back unchanged."""
    if not isinstance(value, str):
        return value
    if value.isascii() and value.isprintable():
        return value  # the common case, fast
    return unicodedata.normalize("NFC", strip_controls(value))


def has_hidden_characters(value: str) -> bool:
    """Whether :func:`clean_text` would change ``value`` (for tests and checks)."""
    return isinstance(value, str) and clean_text(value) != value


__all__ = ["BIDI_CONTROLS", "clean_text", "has_hidden_characters", "strip_controls"]
