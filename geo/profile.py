"""A buurt's profile: what the explorer shows beside the map."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import model as m


@dataclass
class BuurtProfile:
    area: m.Area
    wijk: m.Area | None
    plan: m.Plan | None
    activities: list[m.Activity] = field(default_factory=list)
    meeting_places: list[m.MeetingPlace] = field(default_factory=list)
    real_estate: list[m.RealEstate] = field(default_factory=list)
    suggestions: list[m.Suggestion] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "activities": len(self.activities),
            "meeting_places": len(self.meeting_places),
            "real_estate": len(self.real_estate),
            "suggestions": len(self.suggestions),
        }

    def key_figures(self) -> list[tuple[str, float | None]]:
        """Known CBS figures in a fixed order, then any others the area carries."""
        figs = self.area.figures
        known = [(k, figs.get(k)) for k in m.KEY_FIGURES if k in figs]
        extra = sorted((k, v) for k, v in figs.items() if k not in m.KEY_FIGURES)
        return known + extra


def buurt_profile(store, code: str, public_only: bool = False) -> BuurtProfile:
    """Gather a buurt's profile; :class:`~geo.errors.NotFound` for an unknown code."""
    area = store.get(m.Area, code)
    wijk = None
    if area.parent_code and store.exists(m.Area, area.parent_code):
        wijk = store.get(m.Area, area.parent_code)
    plans = store.list(m.Plan, area_code=code)
    statuses = m.PUBLIC_SUGGESTION_STATUSES if public_only else tuple(
        s for s in m.SUGGESTION_STATUSES if s not in ("hidden", "rejected", "merged")
    )
    return BuurtProfile(
        area=area,
        wijk=wijk,
        plan=plans[0] if plans else None,
        activities=store.list(m.Activity, order_by="start", buurt_code=code),
        meeting_places=store.list(m.MeetingPlace, order_by="name", buurt_code=code),
        real_estate=store.list(m.RealEstate, order_by="name", buurt_code=code),
        suggestions=store.list(m.Suggestion, order_by="-created_at", buurt_code=code, status=list(statuses)),
    )
