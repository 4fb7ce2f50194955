"""The app's pages: one entry each, with who may open it.

``app.py`` builds ``st.navigation`` from :data:`PAGES`, offering a session
only the pages its role may open; the role tests check that every file in
``pages/`` has an entry here. Adding a page is one entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from .access import EVERYONE


@dataclass(frozen=True)
class PageEntry:
    file: str  # path relative to the project root
    title_key: str  # geo.i18n key of its title
    icon: str
    url_path: str
    roles: tuple[str, ...]
    group: str | None = None  # geo.i18n key of its menu group
    default: bool = False
    all_gemeenten: bool = False  # an admin may choose "all gemeenten" here (geo.scope)


PAGES: list[PageEntry] = [
    PageEntry("pages/explore.py", "nav.explore", ":material/map:", "verkennen", EVERYONE, default=True,
              all_gemeenten=True),
    PageEntry("pages/overview.py", "nav.overview", ":material/public:", "overzicht", EVERYONE),
    PageEntry("pages/real_estate.py", "nav.real_estate", ":material/domain:", "vastgoed",
              ("real-estate", "planner", "admin"), group="nav.group.places"),
    PageEntry("pages/meeting_places.py", "nav.meeting_places", ":material/groups:", "ontmoeten",
              ("planner", "real-estate", "admin"), group="nav.group.places"),
    PageEntry("pages/plan.py", "nav.plan", ":material/edit_note:", "plan", ("planner", "admin"),
              group="nav.group.plans"),
    PageEntry("pages/programme.py", "nav.programme", ":material/view_timeline:", "programma", ("planner", "admin"),
              group="nav.group.plans", all_gemeenten=True),
    PageEntry("pages/my_activities.py", "nav.my_activities", ":material/task_alt:", "mijn-activiteiten",
              ("partner", "planner", "admin"), group="nav.group.plans", all_gemeenten=True),
    PageEntry("pages/buurt.py", "nav.buurt", ":material/home_pin:", "mijn-buurt", EVERYONE,
              group="nav.group.residents"),
    PageEntry("pages/suggest.py", "nav.suggest", ":material/add_location_alt:", "meedenken", EVERYONE,
              group="nav.group.residents"),
    PageEntry("pages/initiative.py", "nav.initiative", ":material/volunteer_activism:", "initiatief", EVERYONE,
              group="nav.group.residents"),
    PageEntry("pages/initiative_review.py", "nav.initiative_review", ":material/assignment_turned_in:",
              "initiatieven", ("planner", "moderator", "admin"), group="nav.group.residents"),
    PageEntry("pages/evaluation.py", "nav.evaluation", ":material/rate_review:", "evaluatie", EVERYONE,
              group="nav.group.residents"),
    PageEntry("pages/moderation.py", "nav.moderation", ":material/fact_check:", "moderatie",
              ("moderator", "admin"), group="nav.group.residents", all_gemeenten=True),
    PageEntry("pages/data.py", "nav.data", ":material/swap_vert:", "gegevens", ("planner", "real-estate", "admin"),
              group="nav.group.admin", all_gemeenten=True),
    PageEntry("pages/admin.py", "nav.admin", ":material/manage_accounts:", "beheer", ("admin",),
              group="nav.group.admin"),
]


def entry(url_path: str) -> PageEntry:
    for p in PAGES:
        if p.url_path == url_path:
            return p
    raise KeyError(f"no page with url path {url_path!r}")
