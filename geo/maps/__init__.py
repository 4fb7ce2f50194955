"""Map building: offline folium maps of Wijkatlas layers."""

from .assets import OfflineDraw, OfflineMap, asset_links
from .builder import (
    BASEMAPS,
    POINT_LAYERS,
    MapData,
    MapLayers,
    MapOptions,
    build_layers,
    build_map,
    class_breaks,
    class_colour,
    figure_label,
    format_number,
    highlight_group,
    legend_sections,
    load_map_data,
)
from .layers import DisplayShapes, FeatureLayer, Legend, Table, esc, feature, html_table, legend_html, table

__all__ = [
    "BASEMAPS",
    "POINT_LAYERS",
    "DisplayShapes",
    "FeatureLayer",
    "Legend",
    "MapData",
    "MapLayers",
    "MapOptions",
    "Table",
    "OfflineDraw",
    "OfflineMap",
    "asset_links",
    "build_layers",
    "build_map",
    "class_breaks",
    "class_colour",
    "esc",
    "feature",
    "figure_label",
    "format_number",
    "highlight_group",
    "html_table",
    "legend_html",
    "legend_sections",
    "table",
    "load_map_data",
]
