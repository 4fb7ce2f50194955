"""Import limits per layer (``data/import_limits.toml``), checked while reading.

:func:`load_limits` gives the :class:`ImportLimits` of one layer (the
``[default]`` section overridden by the layer's own); with ``allow_large``
(``--allow-large`` on the command line, "Groot bestand toestaan" on the data
page) every limit is ``large_factor`` times higher. :func:`geo.io.readers.read_source`
checks the file size before reading, the number of rows before or while
parsing (GDAL's feature count; CSV parsing stops one row past the limit) and
the vertices per feature and in total before any geometry work, and refuses
with :class:`ImportFormatError` naming the limit and how to raise it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..config import read_toml
from ..errors import ConfigError, ImportFormatError

LIMITS_PATH = Path(__file__).resolve().parents[2] / "data" / "import_limits.toml"


@dataclass(frozen=True)
class ImportLimits:
    layer: str = "default"
    max_file_mb: float = 200.0
    max_rows: int = 100_000
    max_vertices_per_feature: int = 200_000
    max_total_vertices: int = 5_000_000
    large_factor: float = 10.0
    allow_large: bool = False

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 2**20)

    def large(self) -> "ImportLimits":
        """These limits as ``--allow-large`` raises them."""
        if self.allow_large:
            return self
        k = self.large_factor
        return replace(self, max_file_mb=self.max_file_mb * k, max_rows=int(self.max_rows * k),
                       max_vertices_per_feature=int(self.max_vertices_per_feature * k),
                       max_total_vertices=int(self.max_total_vertices * k), allow_large=True)

    def refuse(self, where: str, what: str, found: int | float | None, setting: str, unit: str = "") -> ImportFormatError:
        limit = getattr(self, setting)
        how = (f"verhoog {setting} onder [{self.layer}] in data/import_limits.toml" if self.allow_large else
               "een groter bestand importeert u met --allow-large (op de pagina: 'Groot bestand toestaan'), "
               f"of verhoog {setting} onder [{self.layer}] in data/import_limits.toml")
        amount = (f"meer dan {_n(limit)}{unit}, de grens" if found is None
                  else f"{_n(found)}{unit}, grens {_n(limit)}{unit}")
        return ImportFormatError(f"{where}: {what} ({amount} voor laag {self.layer}); {how}")


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}"


def load_limits(layer: str = "default", allow_large: bool = False, path: str | Path | None = None) -> ImportLimits:
    """The limits for ``layer`` (``boundaries``, ``address-points``, …)."""
    path = Path(path) if path else LIMITS_PATH
    doc = read_toml(path, "limietenbestand") if path.exists() else {}
    known = {f.name for f in fields(ImportLimits)} - {"layer", "allow_large"}
    values: dict[str, float] = {}
    for section in ("default", layer):
        for key, value in (doc.get(section) or {}).items():
            if key not in known:
                raise ConfigError(f"onbekende instelling '{key}' onder [{section}]", where=str(path))
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{key} onder [{section}] moet een positief getal zijn", where=str(path))
            values[key] = value
    for key in ("max_rows", "max_vertices_per_feature", "max_total_vertices"):
        if key in values:
            values[key] = int(values[key])
    limits = ImportLimits(layer=layer, **values)
    return limits.large() if allow_large else limits


__all__ = ["ImportLimits", "load_limits"]
