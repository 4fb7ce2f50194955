"""Texts of the overview of all gemeenten (regions, the whole country)."""

TEXTS = {
    "nav.overview": ("Overzicht gemeenten", "Overview of gemeenten"),
    "overview.title": ("Overzicht van alle gemeenten", "Overview of all gemeenten"),
    "overview.caption": (
        "{n} gemeenten, {b} buurten. Klik op een gemeente om haar wijken en buurten te zien.",
        "{n} gemeenten, {b} buurten. Click a gemeente to see its wijken and buurten.",
    ),
    "overview.gemeenten": ("Gemeenten", "Gemeenten"),
    "overview.figure": ("Kleur naar", "Colour by"),
    "overview.figure.none": ("Geen kleuring", "No colouring"),
    "overview.chosen": ("Gekozen: {name} ({code})", "Chosen: {name} ({code})"),
    "overview.open": ("Open in de kaartverkenner", "Open in the map explorer"),
    "overview.back": ("Terug naar alle gemeenten", "Back to all gemeenten"),
    "overview.empty": ("Er zijn nog geen gemeenten of buurten geladen.", "No gemeenten or buurten have been loaded yet."),
}
