"""Interface texts, Dutch first and English second.

Each feature keeps its texts in its own module here (``core``, and one per
feature area), as ``TEXTS = {key: (nl, en)}``; :func:`t` looks a key up in
all of them. Vocabulary codes from :mod:`geo.model` (domains, statuses,
kinds…) are translated by :func:`label`.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, pair in getattr(module, "TEXTS", {}).items():
            if key in merged and merged[key] != pair:
                raise RuntimeError(f"text key {key!r} defined twice with different texts ({info.name})")
            merged[key] = pair
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` fields filled in."""
    pair = catalogue().get(key)
    if pair is None:
        raise KeyError(f"no interface text {key!r}")
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def label(code: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A vocabulary code (``social``, ``cruijff_court``…) as a readable label."""
    if code is None or code == "":
        return "—"
    pair = catalogue().get(f"v.{code}")
    if pair is None:
        return str(code)
    return pair[1] if lang == "en" else pair[0]
