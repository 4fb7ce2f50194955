"""Progress updates: an activity's history and its current state.

A partner or a planner posts an update (:func:`post_update`): status, a short
note, money spent so far, share done, next step and an optional photo. The
update is kept (with who, for which organisation, and when) and the activity
takes the update's status and money spent, so everything that reads the
agenda (the dashboard, the timeline, the plan document) follows the latest
update. Everything is checked first and written in one transaction with its
audit entry; a refused update writes nothing.

:func:`stale_activities` flags open activities whose latest update is older
than the configured number of weeks ("geen recente voortgang");
:func:`feed` lists the latest updates across all plans.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Iterable

from .. import model as m
from ..access import Actor, check
from ..errors import ConfigError, NotFound, ValidationError
from ..participation import now_utc
from ..progress import current_quarter
from .partners import check_own_activity, shows_money
from .photos import prepare_photo

CONFIG_PATH = Path(__file__).resolve().parents[2] / "data" / "execution.toml"
MAX_NOTE = 2000
MAX_NEXT_STEP = 500

# Dutch names of the update's fields, for messages.
FIELD_NAMES = {"status": "status", "note": "toelichting", "spent_eur": "uitgegeven", "percent_done": "percentage klaar",
               "next_step": "volgende stap", "foto": "foto", "start": "beginkwartaal", "end": "eindkwartaal",
               "cost_actual_eur": "uitgegeven"}


@dataclass(frozen=True)
class ExecutionConfig:
    stale_after_weeks: float = 8
    photo_max_upload_mb: float = 10
    photo_max_side_px: int = 1600


def load_config(path: str | Path | None = None) -> ExecutionConfig:
    """The settings in ``data/execution.toml``; a missing file gives the defaults."""
    from ..config import read_toml

    path = Path(path) if path else CONFIG_PATH
    if not path.exists():
        return ExecutionConfig()
    doc = read_toml(path, "instellingenbestand")
    known = {f.name for f in fields(ExecutionConfig)}
    values: dict[str, Any] = {}
    for name, value in doc.items():
        if name not in known:
            raise ConfigError(f"onbekende instelling '{name}'", where=str(path))
        default = getattr(ExecutionConfig, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(f"'{name}' moet een positief getal zijn (kreeg {value!r})", where=str(path))
        values[name] = type(default)(value)
    return ExecutionConfig(**values)


def refusal(err: ValidationError) -> str:
    """A refused update's message with the field named for people."""
    where = FIELD_NAMES.get(err.where or "", err.where)
    return f"{where}: {err.message}" if where else err.message


def _number(value: Any, name: str, lo: float, hi: float) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace("€", "").replace(" ", "").replace(",", ".")) \
            if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"'{value}' is geen getal", where=name) from None
    if not math.isfinite(number) or not lo <= number <= hi:
        raise ValidationError(f"moet tussen {lo:g} en {hi:g} liggen (kreeg {value})", where=name)
    return number


def post_update(store, actor: Actor, activity_id: int, *, status: str, note: str, spent_eur: Any = None,
                percent_done: Any = None, next_step: str = "", photo: bytes | None = None,
                now: _dt.datetime | None = None, config: ExecutionConfig | None = None) -> m.ActivityUpdate:
    """Record a progress update and make it the activity's current state."""
    check(actor, "activity.update")
    if not isinstance(activity_id, int) or not store.exists(m.Activity, activity_id):
        raise NotFound(f"activiteit {activity_id} bestaat niet", where="activiteit")
    act = store.get(m.Activity, activity_id)
    check_own_activity(actor, act)
    config = config or load_config()
    now = now or now_utc()
    note = (note or "").strip()
    next_step = (next_step or "").strip()
    if status not in m.ACTIVITY_STATUSES:
        raise ValidationError(f"'{status}' is geen status; kies uit {', '.join(m.ACTIVITY_STATUSES)}", where="status")
    if not note:
        raise ValidationError("schrijf kort wat er is gebeurd", where="note")
    if len(note) > MAX_NOTE:
        raise ValidationError(f"is te lang ({len(note)} tekens, maximaal {MAX_NOTE})", where="note")
    if len(next_step) > MAX_NEXT_STEP:
        raise ValidationError(f"is te lang ({len(next_step)} tekens, maximaal {MAX_NEXT_STEP})", where="next_step")
    spent = _number(spent_eur, "spent_eur", 0, 1e10)
    percent = _number(percent_done, "percent_done", 0, 100)
    percent = None if percent is None else int(round(percent))
    if status == "done" and percent is None:
        percent = 100
    if status == "done" and percent != 100:
        raise ValidationError("een afgeronde activiteit is voor 100% klaar", where="percent_done")

    # The activity as it will be: its rules (agenda.check_activity) must still hold.
    from ..agenda import check_activity

    quarter = current_quarter(now.date())
    act.status = status
    if spent is not None:
        act.cost_actual_eur = spent
    if status in ("running", "done") and not act.start:
        act.start = quarter
    if status == "done" and not act.end:
        act.end = quarter if m.quarter_index(quarter) >= m.quarter_index(act.start) else act.start
    check_activity(store, act)

    picture = None
    if photo:
        picture = prepare_photo(photo, config.photo_max_upload_mb, config.photo_max_side_px)
    update = m.ActivityUpdate(
        activity_id=act.id, at=now.astimezone(_dt.timezone.utc).isoformat(timespec="seconds"),
        author=actor.name, status=status, note=note, organisation=actor.partner or "", spent_eur=spent,
        percent_done=percent, next_step=next_step)
    update.validate()
    with store.transaction():
        if picture is not None:
            update.photo_id = store.add(picture).id
        store.add(update)
        store.update(act)
        store.add(m.AuditEntry(at=update.at, user=actor.name, action="activity.update", target=str(act.id),
                               detail=f"{status}" + (f", {percent}%" if percent is not None else "")
                               + (f", foto {update.photo_id}" if update.photo_id else "")))
    return update


# --- reading -----------------------------------------------------------------------------------
def history(store, activity_id: int) -> list[m.ActivityUpdate]:
    """The activity's updates, newest first."""
    return store.list(m.ActivityUpdate, order_by="-at", activity_id=activity_id)


def latest_by_activity(updates: Iterable[m.ActivityUpdate]) -> dict[int, m.ActivityUpdate]:
    """Each activity's latest update."""
    out: dict[int, m.ActivityUpdate] = {}
    for u in updates:
        if u.activity_id not in out or (u.at, u.id or 0) > (out[u.activity_id].at, out[u.activity_id].id or 0):
            out[u.activity_id] = u
    return out


def photo(store, photo_id: int | None) -> m.UpdatePhoto | None:
    if photo_id is None or not store.exists(m.UpdatePhoto, photo_id):
        return None
    return store.get(m.UpdatePhoto, photo_id)


def update_date(update: m.ActivityUpdate) -> _dt.date:
    return _dt.datetime.fromisoformat(update.at).date()


def needs_progress(act: m.Activity, today: _dt.date) -> bool:
    """Open work that should report: running, or planned while its start quarter has come."""
    if act.status == "running":
        return True
    if act.status == "planned" and act.start:
        return m.quarter_index(act.start) <= m.quarter_index(current_quarter(today))
    return False


@dataclass(frozen=True)
class Staleness:
    activity: m.Activity
    last: m.ActivityUpdate | None  # None: never reported
    weeks: float | None  # weeks since the last update

    @property
    def days(self) -> int | None:
        return None if self.weeks is None else int(self.weeks * 7)


def stale_activities(activities: Iterable[m.Activity], updates: Iterable[m.ActivityUpdate], today: _dt.date,
                     after_weeks: float = 8) -> list[Staleness]:
    """Open activities without an update in the last ``after_weeks`` weeks
    (or never updated), longest silent first."""
    latest = latest_by_activity(updates)
    out = []
    for act in activities:
        if not needs_progress(act, today):
            continue
        last = latest.get(act.id)
        weeks = None if last is None else (today - update_date(last)).days / 7
        if weeks is None or weeks > after_weeks:
            out.append(Staleness(act, last, weeks))
    return sorted(out, key=lambda s: (s.weeks is not None, -(s.weeks or 0), s.activity.title))


@dataclass(frozen=True)
class FeedItem:
    update: m.ActivityUpdate
    activity: m.Activity
    plan_title: str
    show_money: bool


def feed(store, actor: Actor, limit: int = 20, plan_ids: Iterable[int] | None = None) -> list[FeedItem]:
    """The latest updates across plans, newest first (money only where ``actor`` may see it)."""
    check(actor, "activity.update")
    acts = {a.id: a for a in store.list(m.Activity)}
    plans = {p.id: p.title for p in store.list(m.Plan)}
    wanted = None if plan_ids is None else set(plan_ids)
    items = []
    for u in store.list(m.ActivityUpdate, order_by="-at"):
        act = acts.get(u.activity_id)
        if act is None or (wanted is not None and act.plan_id not in wanted):
            continue
        items.append(FeedItem(u, act, plans.get(act.plan_id, "—"), shows_money(actor, act)))
        if len(items) >= limit:
            break
    return items


def history_rows(updates: list[m.ActivityUpdate], show_money: bool, lang: str = "nl") -> list[dict[str, Any]]:
    """An activity's history as table rows (translated column names)."""
    from ..i18n import label, t

    rows = []
    for u in updates:
        row = {
            t("exec.col.date", lang): update_date(u).strftime("%d-%m-%Y"),
            t("exec.col.by", lang): u.author + (f" ({u.organisation})" if u.organisation else ""),
            t("exec.col.status", lang): label(u.status, lang),
            t("exec.col.percent", lang): u.percent_done,
            t("exec.col.note", lang): u.note,
            t("exec.col.next", lang): u.next_step,
        }
        if show_money:
            row[t("exec.col.spent", lang)] = u.spent_eur
        row[t("exec.col.photo", lang)] = "📷" if u.photo_id else ""
        rows.append(row)
    return rows


# --- the programme manager's view ------------------------------------------------------------
def partner_rows(activities: list[m.Activity], updates: list[m.ActivityUpdate], today: _dt.date,
                 after_weeks: float = 8, lang: str = "nl") -> list[dict[str, Any]]:
    """Per partner: what it carries (the existing load figures) and how it goes
    according to the updates: activities without recent progress, the latest
    update and the average share done of the activities it leads."""
    from ..i18n import t
    from ..progress import partner_load, partner_table

    quarter = current_quarter(today)
    loads = partner_load(activities, quarter)
    base = partner_table(loads, lang)
    latest = latest_by_activity(updates)
    stale_ids = {s.activity.id for s in stale_activities(activities, updates, today, after_weeks)}
    out = []
    for load, row in zip(loads, base):
        mine = [a for a in activities if load.partner == a.lead_partner or load.partner in a.partners]
        led = [a for a in mine if a.lead_partner == load.partner]
        last = max((latest[a.id].at for a in mine if a.id in latest), default=None)
        percents = [latest[a.id].percent_done for a in led if a.id in latest and latest[a.id].percent_done is not None]
        row = dict(row)
        row[t("exec.col.stale_n", lang)] = sum(1 for a in led if a.id in stale_ids)
        row[t("exec.col.avg_percent", lang)] = round(sum(percents) / len(percents)) if percents else None
        row[t("exec.col.last", lang)] = _dt.datetime.fromisoformat(last).strftime("%d-%m-%Y") if last else "—"
        out.append(row)
    return out
