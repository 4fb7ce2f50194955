"""Texts of the gemeente picker (one gemeente at a time, see geo.scope)."""

TEXTS: dict[str, tuple[str, str]] = {
    "scope.label": ("Gemeente", "Municipality"),
    "scope.all": ("Alle gemeenten", "All municipalities"),
    "scope.help": (
        "Alle pagina's, kaarten, tabellen en exports tonen deze gemeente; de keuze blijft staan zolang u de app "
        "gebruikt.",
        "Every page, map, table and export shows this municipality; the choice stays while you use the app.",
    ),
    "scope.export": ("Export van: {name}.", "Export of: {name}."),
    "scope.all_not_here": (
        "Deze pagina toont één gemeente tegelijk: {name}.",
        "This page shows one municipality at a time: {name}.",
    ),
}
