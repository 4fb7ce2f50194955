"""Who may do what: roles, actions and the server-side check.

Every write in ``geo`` takes the acting :class:`Actor` and calls
:func:`check` before it touches the store, so a refused action fails the
same way whatever route the request took (page, crafted widget state,
stale session). Pages are guarded by the roles in
:data:`geo.navigation.PAGES`: the frame (``app.py``) only offers a session
the pages its role may open, and each page calls :func:`check_page` itself.

Adding an action is one entry in :data:`ACTIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PermissionDenied

RESIDENT = "resident"  # anyone, not signed in
PARTNER = "partner"  # signed in for one partner organisation (housing corporation, welfare, police…)
STAFF = ("planner", "real-estate", "moderator", "admin")  # municipal staff
SIGNED_IN = (PARTNER, *STAFF)
EVERYONE = (RESIDENT, *SIGNED_IN)


@dataclass(frozen=True)
class Actor:
    """The person behind a request: a resident, a partner or a staff member.

    A ``partner`` actor carries the name of its organisation in ``partner``;
    what it may touch beyond its role is checked against that name
    (:func:`geo.execution.partners.check_own_activity`).
    """

    name: str = "anonymous"
    role: str = RESIDENT
    partner: str | None = None

    @property
    def is_staff(self) -> bool:
        """Municipal staff (sees what residents and partners do not, e.g. unreviewed input)."""
        return self.role in STAFF

    @property
    def is_signed_in(self) -> bool:
        """Staff or partner: signed in with an account."""
        return self.role in SIGNED_IN


ANONYMOUS = Actor()

# action → roles that may perform it
ACTIONS: dict[str, tuple[str, ...]] = {
    "suggestion.submit": EVERYONE,
    "suggestion.support": EVERYONE,
    "suggestion.moderate": ("moderator", "admin"),
    "plan.edit": ("planner", "admin"),
    "activity.edit": ("planner", "admin"),
    "evaluation.edit": ("planner", "admin"),
    "evaluation.respond": EVERYONE,
    "initiative.submit": EVERYONE,
    "initiative.assess": ("planner", "moderator", "admin"),
    "real_estate.edit": ("real-estate", "admin"),
    "meeting_place.edit": ("planner", "real-estate", "admin"),
    "data.import": ("admin",),
    "data.export": ("planner", "real-estate", "admin"),
    "data.export_contacts": ("admin",),
    "users.manage": ("admin",),
    "contacts.delete": ("admin",),
    # carrying out the agenda (geo.execution); a partner only on its own activities
    "activity.update": ("partner", "planner", "admin"),
    "team.edit": ("planner", "admin"),
    "programme.export": ("planner", "admin"),
    "partners.manage": ("admin",),
}

def allowed(actor: Actor, action: str) -> bool:
    try:
        return actor.role in ACTIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}: add it to geo.access.ACTIONS") from None


def check(actor: Actor, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may do ``action``."""
    if not allowed(actor, action):
        raise PermissionDenied(
            f"u heeft geen toestemming voor deze actie ({action}); meld u aan met een account dat dit mag"
        )


def page_allowed(actor: Actor, url_path: str) -> bool:
    from .navigation import PAGES

    return any(p.url_path == url_path and actor.role in p.roles for p in PAGES)


def check_page(actor: Actor, url_path: str) -> None:
    if not page_allowed(actor, url_path):
        raise PermissionDenied("deze pagina is alleen voor medewerkers met de juiste rol; meld u aan")
