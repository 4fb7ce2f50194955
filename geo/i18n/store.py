"""Texts about the database: unreachable, and a record changed by someone else."""

TEXTS: dict[str, tuple[str, str]] = {
    "store.unreachable": (
        "De database is op dit moment niet bereikbaar. Er is niets opgeslagen; wat u invulde staat nog op het "
        "scherm. Probeer het over een paar minuten opnieuw; lukt het dan nog niet, meld het de beheerder.",
        "The database cannot be reached right now. Nothing was saved; what you entered is still on the screen. "
        "Try again in a few minutes; if it still fails, tell the administrator.",
    ),
    "store.conflict": (
        "Iemand anders heeft {what} opgeslagen nadat u het opende. Uw wijziging is niet opgeslagen; wat u typte "
        "staat nog in het formulier. Vergelijk met wat nu is opgeslagen (hieronder) en sla opnieuw op om uw "
        "versie te bewaren.",
        "Someone else saved {what} after you opened it. Your change was not saved; what you typed is still in the "
        "form. Compare with what is stored now (below) and save again to keep your version.",
    ),
    "store.conflict.plan": ("dit plan", "this plan"),
    "store.conflict.activity": ("deze activiteit", "this activity"),
    "store.conflict.agenda": ("de agenda van dit plan", "this plan's agenda"),
    "store.conflict.now": ("Nu opgeslagen", "Stored now"),
}
