"""Import and export: files in, files out.

- :mod:`~geo.io.readers`: reading any supported file safely into RD New;
- :mod:`~geo.io.boundaries`: CBS wijk- en buurtkaart boundaries (three schemas);
- :mod:`~geo.io.places`: meeting places, real estate, activities, suggestions
  (column mapping, BGT and OSM presets, buurt by location);
- :mod:`~geo.io.export`: GeoPackage, GeoJSON and CSV for GIS staff;
- :mod:`~geo.io.summary`: what an import did, as JSON.
"""

from .boundaries import BoundaryPlan, commit_boundaries, import_boundaries, plan_boundaries
from .export import EXPORT_LAYERS, export_bytes, export_layers, layer_frame
from .places import PLACE_LAYERS, PRESETS, PlacesPlan, auto_mapping, commit_places, import_places, plan_places
from .readers import SourceLayer, read_source
from .summary import ImportSummary

__all__ = [
    "BoundaryPlan",
    "EXPORT_LAYERS",
    "ImportSummary",
    "PLACE_LAYERS",
    "PRESETS",
    "PlacesPlan",
    "SourceLayer",
    "auto_mapping",
    "commit_boundaries",
    "commit_places",
    "export_bytes",
    "export_layers",
    "import_boundaries",
    "import_places",
    "layer_frame",
    "plan_boundaries",
    "plan_places",
    "read_source",
]
