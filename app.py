"""Wijkatlas — the frame: page config, language, navigation.

Run with ``streamlit run app.py``. Each page in ``pages/`` does one user
task; this file only decides which pages exist and what surrounds them.
"""

from __future__ import annotations

import streamlit as st

from geo import web
from geo.access import page_allowed
from geo.errors import WijkatlasError
from geo.i18n import LANGUAGES, t

st.set_page_config(page_title="Wijkatlas", page_icon="🗺️", layout="wide")

# One entry per page: (file, text key of its title, icon, url path, group key).
# Who may open a page is decided by geo.access.PAGE_ROLES under the same url path.
PAGES: list[tuple[str, str, str, str, str | None]] = [
    ("pages/explore.py", "nav.explore", ":material/map:", "verkennen", None),
]


def main() -> None:
    if "lang" not in st.session_state:
        st.session_state["lang"] = "nl"
    with st.sidebar:
        st.selectbox(
            t("app.language", web.lang()),
            LANGUAGES,
            key="lang",
            format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
        )
    lang = web.lang()
    groups: dict[str, list] = {}
    actor = web.actor()
    for path, title_key, icon, url, group in PAGES:
        if not page_allowed(actor, url):
            continue
        page = st.Page(path, title=t(title_key, lang), icon=icon, url_path=url, default=(url == "verkennen"))
        groups.setdefault(t(group, lang) if group else "", []).append(page)
    nav = st.navigation(groups)
    try:
        web.store()
    except WijkatlasError as exc:
        st.error(t("app.error", lang, message=str(exc)))
        st.stop()
    nav.run()


main()
