"""Forms that do not double: recognise a repeated identical submit.

A form that saved keeps showing its values until the page has rerun; a
second click in that moment (or a double click) would store the same record
twice. :class:`SubmitGuard` remembers the fingerprint of each form's last
successful submit for ``window`` seconds; pages keep one per session
(:func:`geo.web.submit_guard`) and check it before they save.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

DEFAULT_WINDOW_S = 60.0


def fingerprint(values: Any) -> str:
    """A stable digest of what a form submitted (text stripped, case kept)."""

    def norm(v: Any) -> Any:
        if isinstance(v, str):
            return " ".join(v.split())
        if isinstance(v, (list, tuple)):
            return [norm(x) for x in v]
        if isinstance(v, dict):
            return {str(k): norm(x) for k, x in sorted(v.items())}
        return v if isinstance(v, (int, float, bool)) or v is None else str(v)

    return hashlib.sha256(json.dumps(norm(values), sort_keys=True).encode()).hexdigest()


class SubmitGuard:
    """Per form: the last saved fingerprint and when it was saved."""

    def __init__(self, window_s: float = DEFAULT_WINDOW_S, max_forms: int = 64):
        self.window_s = window_s
        self.max_forms = max_forms
        self._last: dict[str, tuple[str, float]] = {}

    def repeated(self, form: str, values: Any, now: float | None = None) -> bool:
        """True when ``values`` equal the last save of ``form`` less than ``window_s`` ago."""
        now = time.time() if now is None else now
        last = self._last.get(form)
        return bool(last) and last[0] == fingerprint(values) and now - last[1] < self.window_s

    def saved(self, form: str, values: Any, now: float | None = None) -> None:
        if len(self._last) >= self.max_forms and form not in self._last:
            self._last.pop(next(iter(self._last)))
        self._last[form] = (fingerprint(values), time.time() if now is None else now)
