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
    "auth.wrong_role": (
        "U bent aangemeld als {role}; deze pagina is voor: {roles}. Vraag de beheerder om een account met die rol.",
        "You are signed in as {role}; this page is for: {roles}. Ask the administrator for an account with that role.",
    ),
    "auth.signed_out_elsewhere": (
        "U bent afgemeld (in een ander tabblad of venster).",
        "You were signed out (in another tab or window).",
    ),
    "profile.inhabitants_derived": (
        "Inwoners afgeleid: mannen + vrouwen (het CBS-bestand laat het totaal leeg).",
        "Inhabitants derived: men + women (the CBS file leaves the total empty).",
    ),
    "mp.col.on": ("Aan", "On"),
    "env.col.name": ("Gebied", "Area"),
    "env.col.level": ("Niveau", "Level"),
    "env.col.plan": ("Plan", "Plan"),
    "env.col.effects": ("Beoogde effecten", "Intended effects"),
    "env.col.summary": ("Samenvatting", "Summary"),
    "env.col.activities": ("Activiteiten", "Activities"),
}
