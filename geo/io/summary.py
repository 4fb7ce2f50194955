"""What an import did (or, in a dry run, would do), as one document.

The same :class:`ImportSummary` feeds the command line (``--json`` and the
human summary) and the page's "what would happen" step, so both report the
same counts with the same reasons.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Skipped:
    """One feature left out, and why (row is 1-based, as a spreadsheet counts)."""

    row: int
    reason: str
    id: str = ""


@dataclass
class ImportSummary:
    file: str
    kind: str  # "boundaries" or a places layer (meeting-places, real-estate, …)
    format: str = ""
    layer: str = ""
    schema: str = ""
    preset: str = ""
    crs_found: str = ""
    crs_note: str = ""
    levels: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    rows: int = 0
    imported: int = 0
    created: int = 0
    updated: int = 0
    repaired: int = 0
    derived: list[str] = field(default_factory=list)
    outside_included: int = 0
    duplicates: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)  # stored areas this (re-)import lacks; kept, not deleted
    mapping: dict[str, str] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    # Rows without coordinates placed on a BAG address point: method → rows
    # (coordinates, bag_id, postcode_number, street_number, postcode), and the rows
    # that could not be placed: {row, address, reason, candidates}.
    placed_by: dict[str, int] = field(default_factory=dict)
    unplaced: list[dict[str, Any]] = field(default_factory=list)
    kept_unplaced: int = 0  # of those, kept for placing later in the app (--keep-unplaced)
    dry_run: bool = False

    def skip(self, row: int, reason: str, fid: Any = "") -> None:
        self.skipped.append(Skipped(row, reason, "" if fid is None else str(fid)))

    @property
    def skipped_by_reason(self) -> dict[str, int]:
        return dict(sorted(Counter(s.reason for s in self.skipped).items()))

    def to_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["skipped_count"] = len(self.skipped)
        doc["skipped_by_reason"] = self.skipped_by_reason
        return doc

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)

    def lines(self) -> list[str]:
        """A short human summary (Dutch, like the rest of the command line)."""
        verb = "zou importeren" if self.dry_run else "geïmporteerd"
        out = [f"{self.file}: {self.imported} {verb} ({self.created} nieuw, {self.updated} vervangen)"]
        if self.levels:
            out.append(f"  niveau: {', '.join(self.levels)}")
        if self.municipalities:
            out.append(f"  gemeenten: {', '.join(self.municipalities)}")
        out.append(f"  CRS: {self.crs_found}" + (f" ({self.crs_note})" if self.crs_note else ""))
        if self.schema:
            out.append(f"  schema: {self.schema}")
        if self.preset:
            out.append(f"  preset: {self.preset}")
        if self.repaired:
            out.append(f"  gerepareerde geometrieën: {self.repaired}")
        if self.derived:
            out.append(f"  afgeleid uit codes: {', '.join(self.derived)}")
        if self.outside_included:
            out.append(f"  buiten de gemeente maar toch opgenomen: {self.outside_included}")
        if self.duplicates:
            out.append(f"  dubbele ids: {', '.join(self.duplicates[:10])}")
        if self.not_in_file:
            shown = ", ".join(self.not_in_file[:20]) + (", …" if len(self.not_in_file) > 20 else "")
            out.append(f"  in de database maar niet in dit bestand (blijven staan): {len(self.not_in_file)}: {shown}")
        if self.placed_by:
            from .addresses import METHOD_LABELS, METHODS

            shown = ", ".join(f"{METHOD_LABELS[k][0]}: {self.placed_by[k]}" for k in METHODS if k in self.placed_by)
            out.append(f"  geplaatst via {shown}")
        for u in self.unplaced[:50]:
            cands = f"; dichtstbij: {' | '.join(u['candidates'])}" if u.get("candidates") else ""
            out.append(f"  niet geplaatst: rij {u['row']} ({u['address'] or 'geen adres'}): {u['reason']}{cands}")
        if len(self.unplaced) > 50:
            out.append(f"  … en nog {len(self.unplaced) - 50} niet geplaatste rijen (zie --json)")
        if self.kept_unplaced:
            out.append(f"  bewaard om later in de app te plaatsen: {self.kept_unplaced}")
        for reason, n in self.skipped_by_reason.items():
            out.append(f"  overgeslagen ({reason}): {n}")
        return out
