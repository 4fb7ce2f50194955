"""Texts for daily use: activity numbers, saved forms, readable tables."""

TEXTS: dict[str, tuple[str, str]] = {
    "agenda.col.number": ("Nr.", "No."),
    "agenda.number_help": (
        "Het vaste nummer van de activiteit in dit plan: hetzelfde in de tabel, het formulier, op de kaart en in "
        "het plandocument.",
        "The activity's fixed number in this plan: the same in the table, the form, on the map and in the plan "
        "document.",
    ),
    "form.repeated": (
        "Dit is net al opgeslagen; er is niets dubbel toegevoegd.",
        "This was saved a moment ago; nothing was added twice.",
    ),
}
