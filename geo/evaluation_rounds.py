"""The interactive evaluation of a plan: rounds of statements, answered on a
five-point scale by residents (public link, no account) and by partners.

- :func:`open_round` / :func:`close_round`: a planner (``evaluation.edit``)
  opens a round for a plan with a few statements per domain, a start and an
  end date, and may close it early;
- :func:`respond`: one response per respondent per round (a unique index,
  migration 11, so two tabs or two servers cannot both count), only while the
  round is open, within a per-minute limit for all respondents together;
- :func:`results`: per statement and respondent group the number of answers,
  the mean, the spread (standard deviation) and the distribution over the
  scale, and the comments (residents' text, shown as text);
- :func:`evidence_text`: a result as the evidence of a success or failure
  factor (:mod:`geo.evaluation`), which the plan document and the lessons for
  other plans then carry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from . import access
from . import model as m
from .access import Actor
from .clients import Client, check_rate, record
from .errors import NotFound, StoreError, ValidationError
from .participation import LimitReached, load_config

MAX_STATEMENTS = 30
MAX_COMMENT = 1000

# Statements a planner starts from (one or two per domain); editable before opening.
DEFAULT_STATEMENTS = (
    ("social", "De ontmoetingsplek wordt goed gebruikt"),
    ("social", "Bewoners zijn goed betrokken bij het plan"),
    ("spatial", "De buurt is er de afgelopen tijd op vooruitgegaan"),
    ("safety", "Ik voel me veilig in de buurt"),
)


def group_of(person: Actor) -> str:
    """Residents answer as 'resident', partner accounts as 'partner', staff as 'municipality'."""
    if person.role == "partner":
        return "partner"
    if person.is_staff:
        return "municipality"
    return "resident"


def _today() -> date:
    return datetime.now(timezone.utc).date()


def _iso(value: date | str, name: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValidationError(f"'{value}' is geen datum (JJJJ-MM-DD)", where=name) from None


def state(r: m.EvaluationRound, today: date | None = None) -> str:
    """upcoming, open or closed (closed by hand or past its end date)."""
    today = (today or _today()).isoformat()
    if r.closed or today > r.closes_on:
        return "closed"
    if today < r.opens_on:
        return "upcoming"
    return "open"


def open_round(store, actor: Actor, plan_id: int, title: str, opens_on: date | str, closes_on: date | str,
               statements: list[tuple[str, str]]) -> m.EvaluationRound:
    """Open a round for a plan with its statements, all or nothing."""
    access.check(actor, "evaluation.edit")
    store.get(m.Plan, plan_id)
    cleaned = [(d, (text or "").strip()) for d, text in statements if (text or "").strip()]
    if not cleaned:
        raise ValidationError("geef ten minste één stelling", where="stellingen")
    if len(cleaned) > MAX_STATEMENTS:
        raise ValidationError(f"te veel stellingen ({len(cleaned)}, maximaal {MAX_STATEMENTS})", where="stellingen")
    r = m.EvaluationRound(plan_id=plan_id, title=(title or "").strip(), opens_on=_iso(opens_on, "opens_on"),
                          closes_on=_iso(closes_on, "closes_on"),
                          created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    r.validate()
    with store.transaction():
        store.add(r)
        for position, (domain, text) in enumerate(cleaned, start=1):
            try:
                store.add(m.EvaluationStatement(round_id=r.id, domain=domain, text=text, position=position))
            except ValidationError as exc:
                raise ValidationError(f"stelling {position}: {exc.message}", where="stellingen") from None
        store.add(m.AuditEntry(at=r.created_at, user=actor.name, action="evaluation.open_round",
                               target=f"plan {plan_id}", detail=r.title))
    return r


def close_round(store, actor: Actor, round_id: int) -> m.EvaluationRound:
    access.check(actor, "evaluation.edit")
    with store.transaction():
        r = store.get(m.EvaluationRound, round_id)
        r.closed = True
        store.update(r)
        store.add(m.AuditEntry(at=datetime.now(timezone.utc).isoformat(timespec="seconds"), user=actor.name,
                               action="evaluation.close_round", target=f"plan {r.plan_id}", detail=r.title))
    return r


def statements(store, round_id: int) -> list[m.EvaluationStatement]:
    return store.list(m.EvaluationStatement, order_by="position", round_id=round_id)


@dataclass(frozen=True)
class PublicRound:
    id: int
    title: str
    plan_title: str
    area_code: str
    opens_on: str
    closes_on: str


def open_rounds(store, today: date | None = None) -> list[PublicRound]:
    """Rounds anyone can answer today."""
    plans = {p.id: p for p in store.list(m.Plan)}
    out = []
    for r in store.list(m.EvaluationRound, order_by="closes_on"):
        if state(r, today) == "open" and r.plan_id in plans:
            p = plans[r.plan_id]
            out.append(PublicRound(r.id, r.title, p.title, p.area_code, r.opens_on, r.closes_on))
    return out


RESPOND_ACTION = "evaluation.respond"


def respond(store, actor: Actor, round_id: int, client: Client | None, answers: dict[int, tuple[int | None, str]],
            now: datetime | None = None, config=None) -> m.EvaluationResponse:
    """Store one response: ``answers`` maps statement id → (score 1–5 or None, comment).

    Residents answer once per browser (``client.key``: the signed cookie of
    :mod:`geo.clients`, so a reload or a new tab does not make a second
    respondent), within a limit per internet address and one for everyone;
    signed-in accounts answer once per account.
    """
    access.check(actor, "evaluation.respond")
    config = config or load_config()
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    r = store.get(m.EvaluationRound, round_id)
    if state(r, now.date()) != "open":
        raise ValidationError("deze evaluatie is niet (meer) open", where="ronde")
    known = {s.id for s in statements(store, round_id)}
    cleaned: dict[int, tuple[int | None, str]] = {}
    for sid, (score, comment) in answers.items():
        if sid not in known:
            raise ValidationError(f"stelling {sid} hoort niet bij deze evaluatie", where="stelling")
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT:
            raise ValidationError(f"is te lang ({len(comment)} tekens, maximaal {MAX_COMMENT})", where="toelichting")
        if score is not None and score not in m.SCORES:
            raise ValidationError("kies een score van 1 tot 5", where="score")
        if score is not None or comment:
            cleaned[sid] = (score, comment)
    if not cleaned:
        raise ValidationError("beantwoord ten minste één stelling", where="antwoorden")
    group = group_of(actor)
    client = client or Client()
    key = f"account:{actor.name}" if group != "resident" else client.key
    since = (now - timedelta(seconds=60)).isoformat()
    try:
        with store.transaction():
            if store.list(m.EvaluationResponse, round_id=round_id, respondent=key):
                raise ValidationError("u heeft deze evaluatie al ingevuld; dank u wel", where="ronde")
            if group == "resident" and check_rate(store, client, RESPOND_ACTION, 0, config.evaluation_per_address,
                                                  config.limit_window_minutes * 60, now.timestamp()):
                raise LimitReached("vanaf dit internetadres zijn het afgelopen uur al veel antwoorden gegeven; "
                                   "probeer het later nog eens", kind="address")
            if config.evaluation_per_minute and store.count_since(m.EvaluationResponse, "created_at", since) >= \
                    config.evaluation_per_minute:
                raise LimitReached("er komen op dit moment erg veel antwoorden binnen; wacht een minuut en "
                                   "verstuur opnieuw", kind="busy")
            response = store.add(m.EvaluationResponse(round_id=round_id, respondent=key, respondent_group=group,
                                                      created_at=now.isoformat()))
            record(store, client, RESPOND_ACTION, now.timestamp())
            for sid, (score, comment) in cleaned.items():
                store.add(m.EvaluationAnswer(response_id=response.id, statement_id=sid, score=score,
                                             comment=comment))
    except StoreError as exc:
        if "UNIQUE" in str(exc):  # the same respondent, from another tab at the same moment
            raise ValidationError("u heeft deze evaluatie al ingevuld; dank u wel", where="ronde") from None
        raise
    return response


def has_responded(store, round_id: int, person: Actor, client: Client | None) -> bool:
    """Whether this browser (or this account) already answered the round."""
    key = f"account:{person.name}" if group_of(person) != "resident" else (client or Client()).key
    return bool(store.list(m.EvaluationResponse, round_id=round_id, respondent=key))


# --- results -------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupResult:
    group: str  # resident | partner | municipality | all
    n: int
    mean: float | None
    spread: float | None  # standard deviation of the scores
    counts: tuple[int, int, int, int, int]  # answers per score 1…5
    no_opinion: int


@dataclass
class StatementResult:
    statement: m.EvaluationStatement
    groups: list[GroupResult] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (group, text)

    def group(self, name: str) -> GroupResult | None:
        return next((g for g in self.groups if g.group == name), None)


def aggregate(scores: list[int | None], group: str) -> GroupResult:
    """Number, mean, spread and distribution of one group's answers."""
    given = [s for s in scores if s is not None]
    counts = tuple(given.count(v) for v in m.SCORES)
    if not given:
        return GroupResult(group, 0, None, None, counts, len(scores))  # type: ignore[arg-type]
    mean = sum(given) / len(given)
    spread = math.sqrt(sum((s - mean) ** 2 for s in given) / len(given))
    return GroupResult(group, len(given), round(mean, 2), round(spread, 2), counts,  # type: ignore[arg-type]
                       len(scores) - len(given))


def results(store, round_id: int) -> list[StatementResult]:
    """Per statement: each group that answered, and all together."""
    responses = {x.id: x for x in store.list(m.EvaluationResponse, round_id=round_id)}
    answers = store.list(m.EvaluationAnswer, response_id=list(responses) or [-1])
    out = []
    for s in statements(store, round_id):
        mine = [a for a in answers if a.statement_id == s.id]
        by_group: dict[str, list[int | None]] = {}
        for a in mine:
            by_group.setdefault(responses[a.response_id].respondent_group, []).append(a.score)
        groups = [aggregate(by_group[g], g) for g in m.RESPONDENT_GROUPS if g in by_group]
        groups.append(aggregate([a.score for a in mine], "all"))
        comments = [(responses[a.response_id].respondent_group, a.comment) for a in mine if a.comment]
        out.append(StatementResult(s, groups, comments))
    return out


def response_count(store, round_id: int) -> dict[str, int]:
    counts = {g: 0 for g in m.RESPONDENT_GROUPS}
    for x in store.list(m.EvaluationResponse, round_id=round_id):
        counts[x.respondent_group] = counts.get(x.respondent_group, 0) + 1
    return counts


def _num(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def result_rows(found: list[StatementResult], lang: str = "nl") -> list[dict]:
    """One row per statement and group, headers in ``lang``."""
    from .i18n import label, t

    rows = []
    for res in found:
        for g in res.groups:
            rows.append({
                t("eval.col.statement", lang): res.statement.text,
                t("col.domain", lang): label(res.statement.domain, lang),
                t("eval.col.group", lang): t(f"eval.group.{g.group}", lang),
                t("eval.col.n", lang): g.n,
                t("eval.col.mean", lang): _num(g.mean, lang),
                t("eval.col.spread", lang): _num(g.spread, lang),
                t("eval.col.counts", lang): " · ".join(f"{v}: {c}" for v, c in zip(m.SCORES, g.counts)),
                t("eval.col.no_opinion", lang): g.no_opinion,
            })
    return rows


def evidence_text(res: StatementResult, lang: str = "nl") -> str:
    """A statement's result in one sentence, as the evidence of a factor."""
    from .i18n import t

    parts = [t("eval.evidence.group", lang, group=t(f"eval.group.{g.group}", lang), mean=_num(g.mean, lang), n=g.n,
               spread=_num(g.spread, lang))
             for g in res.groups if g.group != "all" and g.n]
    return t("eval.evidence", lang, statement=res.statement.text, parts="; ".join(parts) or "—")


def public_link(round_id: int) -> str:
    return f"evaluatie?ronde={int(round_id)}"


__all__ = [
    "DEFAULT_STATEMENTS",
    "GroupResult",
    "PublicRound",
    "StatementResult",
    "aggregate",
    "close_round",
    "evidence_text",
    "group_of",
    "has_responded",
    "open_round",
    "open_rounds",
    "public_link",
    "respond",
    "response_count",
    "result_rows",
    "results",
    "state",
    "statements",
]
