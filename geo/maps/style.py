"""Colours and symbols of every layer, in one place for map and legend."""

from __future__ import annotations

DOMAIN_COLOURS = {"social": "#1b9e77", "spatial": "#7570b3", "safety": "#d95f02"}

# Activity status → outline pattern and fill strength.
STATUS_STYLE = {
    "planned": {"dashArray": "4 4", "fillOpacity": 0.25, "weight": 2},
    "running": {"dashArray": None, "fillOpacity": 0.7, "weight": 3},
    "done": {"dashArray": None, "fillOpacity": 0.15, "weight": 1},
    "stopped": {"dashArray": "1 5", "fillOpacity": 0.05, "weight": 1},
}

MEETING_COLOURS = {
    "building": "#6a3d9a",
    "cruijff_court": "#e31a1c",
    "playground": "#ff7f00",
    "sports_park": "#33a02c",
    "school": "#1f78b4",
    "square": "#b15928",
    "park": "#66a61e",
}

POLICY_COLOURS = {"keep": "#1a9641", "flexible": "#74add1", "dispose": "#d7191c", "redevelop": "#fdae61"}

SUGGESTION_COLOURS = {
    "meeting": "#6a3d9a",
    "greenery": "#33a02c",
    "play": "#ff7f00",
    "traffic_safety": "#e31a1c",
    "maintenance": "#8c6d31",
    "other": "#636363",
}

STAGE_COLOURS = {
    "not_started": "#f0f0f0",
    "analysis": "#c6dbef",
    "agenda_agreed": "#6baed6",
    "in_execution": "#2171b5",
    "evaluated": "#08306b",
}

# Sequential ColorBrewer YlGnBu (5 classes) for choropleths.
CHOROPLETH = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
NO_DATA = "#d9d9d9"
BOUNDARY = "#333333"
SELECTED = "#e7298a"

# The colour of a layer's cluster symbols (a count of the layer's pins), one per layer.
CLUSTER_COLOURS = {
    "activities": "#1b9e77",
    "meeting_places": "#6a3d9a",
    "real_estate": "#2b5f8a",
    "suggestions": "#c2410c",
}
