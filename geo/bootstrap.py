"""Creating a database and filling it with the demo, for the CLI and the app."""

from __future__ import annotations

from . import model as m
from .errors import StoreError
from .store import Store, open_store


def init_database(url: str | None = None, demo: bool = False, replace: bool = False) -> tuple[Store, dict[str, int]]:
    """Create (or migrate) the database; with ``demo`` load the bundled demo.

    Loading the demo into a database that already holds areas is refused
    unless ``replace`` is given, so nobody loses data by a repeated command.
    """
    store = open_store(url)
    counts: dict[str, int] = {}
    if demo:
        if not store.is_empty() and not replace:
            raise StoreError(
                f"database {store.url} bevat al gegevens; gebruik --replace om alles te vervangen door de demo"
            )
        from .demo import load_demo

        with store.transaction():
            if replace:
                store.clear()
            counts = load_demo(store)
    return store, counts


def ensure_demo(store: Store) -> bool:
    """Fill an empty database with the demo (first run of the app).

    Safe when several sessions start at once: the emptiness check and the
    load happen in one write transaction. Returns True when it loaded.
    """
    if not store.is_empty():
        return False
    from .demo import load_demo

    with store.transaction():
        if store.count(m.Area):
            return False
        load_demo(store)
    return True
