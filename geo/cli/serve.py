"""``wijkatlas serve [STREAMLIT OPTION …]``: run the app.

The same as ``streamlit run app.py``, except that the frame in ``app.py``
chooses every page from the first visit on (see :func:`geo.web.navigation_only`):
a plain ``streamlit run`` serves the first visitor after a start through
Streamlit's own discovery of ``pages/``. Options after ``serve`` go to
Streamlit unchanged (``--server.port 8502``, ``--server.headless true``).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import WijkatlasError


def register(sub) -> None:
    p = sub.add_parser("serve", help="start de app (zoals 'streamlit run app.py'); opties gaan door naar Streamlit",
                       description="Start de app. Alle opties na 'serve' gaan ongewijzigd naar 'streamlit run', "
                                   "bijvoorbeeld: wijkatlas serve --server.port 8502 --server.headless true")
    p.set_defaults(func=run)


def app_path() -> Path:
    """``app.py`` of this checkout (beside the ``geo`` package)."""
    path = Path(__file__).resolve().parents[2] / "app.py"
    if not path.is_file():
        raise WijkatlasError(f"app.py niet gevonden naast het pakket geo ({path.parent}); "
                             "start vanuit een checkout van Wijkatlas")
    return path


def run(args) -> int:
    app = app_path()
    if getattr(args, "db", None):  # the global --db: the app reads its database from the environment
        os.environ["WIJKATLAS_DATABASE_URL"] = args.db
    from .. import web

    return web.serve(str(app), list(getattr(args, "passthrough", [])))
