"""Resident initiatives: submit, limits, eligibility, approval into a quick win, privacy, e-mail."""

from __future__ import annotations

import pytest

from geo import initiatives as I
from geo import mail
from geo import model as m
from geo import participation as P
from geo import public_plan as pub
from geo.access import ANONYMOUS, Actor
from geo.errors import PermissionDenied, ValidationError
from geo.participation import LimitReached, ParticipationConfig
from tests.smtp_server import SmtpServer

PLANNER = Actor("piet", "planner")
CONFIG = ParticipationConfig(initiative_per_client=100, initiative_per_address=100, initiative_per_minute=100,
                             coarsen_grid_m=25)
BUURT = "BU17710005"
EMAIL = "initiatief@example.nl"


def _draft(store, **changes):
    values = dict(title="Moestuin aan de Smalstraat", text="Wij willen een moestuin met de buren beginnen",
                  participants="Familie Jansen en 5 buren", cost_eur=1500.0,
                  pin=P.pin_in_buurt(store.get(m.Area, BUURT)), domain="spatial", email=EMAIL)
    values.update(changes)
    return I.InitiativeDraft(**values)


@pytest.fixture
def initiative(demo_store):
    return I.submit(demo_store, ANONYMOUS, _draft(demo_store), CONFIG)


def test_submit_stores_it_waiting_with_a_reference_and_the_address_apart(demo_store, initiative):
    assert initiative.reference.startswith("WI-") and initiative.status == "received"
    assert initiative.buurt_code == BUURT
    (contact,) = demo_store.list(m.InitiativeContact, initiative_id=initiative.id)
    assert contact.email == EMAIL
    assert EMAIL not in repr(demo_store.get(m.Initiative, initiative.id))
    second = I.submit(demo_store, ANONYMOUS, _draft(demo_store, email=""), CONFIG)
    assert int(second.reference[-4:]) == int(initiative.reference[-4:]) + 1


def test_a_buurt_without_a_pin_is_enough(demo_store):
    i = I.submit(demo_store, ANONYMOUS, _draft(demo_store, pin=None, buurt_code=BUURT), CONFIG)
    assert i.geometry is None and i.buurt_code == BUURT


@pytest.mark.parametrize("changes, field", [
    ({"pin": None}, "plek"),
    ({"pin": None, "buurt_code": "BU00000000"}, "plek"),
    ({"pin": P.Pin(4.9, 52.37, None)}, "plek"),  # Amsterdam: outside the municipality
    ({"title": " "}, "titel"),
    ({"text": "kort"}, "wat"),
    ({"text": "x" * 2001}, "wat"),
    ({"participants": ""}, "wie"),
    ({"cost_eur": None}, "bijdrage"),
    ({"cost_eur": 0}, "bijdrage"),
    ({"cost_eur": -5}, "bijdrage"),
    ({"cost_eur": float("nan")}, "bijdrage"),
    ({"cost_eur": 25_001}, "bijdrage"),
    ({"domain": "economy"}, "onderwerp"),
    ({"email": "geen-adres"}, "e-mail"),
])
def test_bad_drafts_name_the_field_and_store_nothing(demo_store, changes, field):
    with pytest.raises(ValidationError) as err:
        I.submit(demo_store, ANONYMOUS, _draft(demo_store, **changes), CONFIG)
    assert err.value.where == field
    assert demo_store.count(m.Initiative) == 0 and demo_store.count(m.InitiativeContact) == 0


def test_contribution_limit_comes_from_the_configuration_but_never_above_a_quick_win(demo_store):
    low = ParticipationConfig(initiative_max_eur=1000, initiative_per_client=9, initiative_per_minute=9)
    with pytest.raises(ValidationError, match="1.000"):
        I.submit(demo_store, ANONYMOUS, _draft(demo_store, cost_eur=1500.0), low)
    assert I.max_contribution(ParticipationConfig(initiative_max_eur=1e6)) == 25_000


def test_limits_per_browser_per_address_and_per_minute(demo_store):
    from geo.clients import Client

    config = ParticipationConfig(initiative_per_client=2, initiative_per_address=3, initiative_per_minute=100)
    me, housemate = Client("198.51.100.7", "mine"), Client("198.51.100.7", "theirs")
    for _ in range(2):
        I.submit(demo_store, ANONYMOUS, _draft(demo_store), config, client=me)
    with pytest.raises(LimitReached) as err:  # a reload or a new tab is the same browser
        I.submit(demo_store, ANONYMOUS, _draft(demo_store), config, client=me)
    assert err.value.kind == "client"
    I.submit(demo_store, ANONYMOUS, _draft(demo_store), config, client=housemate)
    with pytest.raises(LimitReached) as err:
        I.submit(demo_store, ANONYMOUS, _draft(demo_store), config, client=Client("198.51.100.7", "third"))
    assert err.value.kind == "address"
    I.submit(demo_store, ANONYMOUS, _draft(demo_store), config, client=Client("203.0.113.9", "elsewhere"))
    busy = ParticipationConfig(initiative_per_client=9, initiative_per_address=9, initiative_per_minute=4)
    with pytest.raises(LimitReached) as err:
        I.submit(demo_store, ANONYMOUS, _draft(demo_store), busy, client=Client("192.0.2.1", "x"))
    assert err.value.kind == "busy"
    assert demo_store.count(m.Initiative) == 4


@pytest.mark.parametrize("role", ["resident", "real-estate"])
def test_only_staff_assess(demo_store, initiative, role):
    who = Actor("x", role)
    for call in (lambda: I.queue(demo_store, who), lambda: I.approve(demo_store, who, initiative.id),
                 lambda: I.not_eligible(demo_store, who, initiative.id, "r"),
                 lambda: I.hide(demo_store, who, initiative.id, "r")):
        with pytest.raises(PermissionDenied):
            call()
    assert demo_store.get(m.Initiative, initiative.id).status == "received"


def test_approve_makes_a_quick_win_led_by_residents_with_the_contribution(demo_store, initiative):
    activity = I.approve(demo_store, Actor("mia", "moderator"), initiative.id, "Mooi plan", start="2026-Q3",
                         end="2026-Q4")
    assert activity.quick_win and activity.cost_estimate_eur == 1500.0
    assert activity.lead_partner == f"Bewoners ({initiative.reference})"
    plan = demo_store.list(m.Plan, area_code=BUURT)[0]
    assert activity.plan_id == plan.id and activity.buurt_code == BUURT
    assert "Jansen" not in activity.description + activity.lead_partner + " ".join(activity.partners)
    g = activity.geometry
    assert (g.x % 25, g.y % 25) == (12.5, 12.5)  # the public pin, not the resident's click
    stored = demo_store.get(m.Initiative, initiative.id)
    assert (stored.status, stored.activity_id, stored.reason) == ("approved", activity.id, "Mooi plan")
    entry = demo_store.list(m.AuditEntry, action="initiative.approve")[0]
    assert entry.user == "mia" and entry.target == initiative.reference and EMAIL not in repr(entry)
    # On the public buurt page, as a quick win under "jullie zeiden, wij deden".
    view = pub.public_buurt(demo_store, BUURT)
    assert any(x.kind == "initiative" and x.reference == initiative.reference for x in view.taken_up)
    assert next(a for a in view.activities if a.id == activity.id).quick_win


def test_approval_that_breaks_the_agenda_rules_writes_nothing(demo_store, initiative):
    with pytest.raises(ValidationError):
        I.approve(demo_store, PLANNER, initiative.id, start="2026-Q1", end="2027-Q4")  # too long for a quick win
    assert demo_store.get(m.Initiative, initiative.id).status == "received"
    assert demo_store.count(m.OutboxMessage) == 0


def test_not_eligible_needs_a_reason_and_is_public_with_it(demo_store, initiative):
    with pytest.raises(ValidationError, match="reden"):
        I.not_eligible(demo_store, PLANNER, initiative.id, " ")
    I.not_eligible(demo_store, PLANNER, initiative.id, "Dit valt onder het groenonderhoud")
    (view,) = I.public_initiatives(demo_store)
    assert view.status == "not_eligible" and view.reason == "Dit valt onder het groenonderhoud"
    assert "Jansen" not in repr(view) and EMAIL not in repr(view)


def test_received_and_hidden_are_not_public(demo_store, initiative):
    assert I.public_initiatives(demo_store) == []
    I.hide(demo_store, PLANNER, initiative.id, "Bevat een adres")
    assert I.public_initiatives(demo_store) == []


def test_assessment_is_mailed_once_with_unsubscribe(demo_store, initiative):
    activity = I.approve(demo_store, PLANNER, initiative.id, "Mooi plan")
    with SmtpServer() as server:
        assert mail.deliver_due(demo_store, server.config()).sent == 1
        assert mail.deliver_due(demo_store, server.config()).sent == 0
    (email,) = server.messages
    assert email["To"] == EMAIL and initiative.reference in email["Subject"]
    body = email.get_content()
    assert activity.title in body and "quick win" in body and "Mooi plan" in body
    token = demo_store.list(m.InitiativeContact, initiative_id=initiative.id)[0].token
    assert f"meedenken?afmelden={token}" in body
    from geo import notify

    assert notify.unsubscribe(demo_store, token) == 1
    assert demo_store.count(m.InitiativeContact) == 0


def test_avg_erasure_covers_initiatives(demo_store, initiative):
    n, refs = P.delete_contacts_by_email(demo_store, Actor("ad", "admin"), EMAIL)
    assert n == 1 and refs == [initiative.reference]
    assert demo_store.count(m.InitiativeContact) == 0


def test_cli_contacts_delete_by_initiative_reference(demo_db_url, capsys):
    from geo.cli import main
    from geo.store import open_store

    store = open_store(demo_db_url)
    i = I.submit(store, ANONYMOUS, _draft(store), CONFIG)
    assert main(["--db", demo_db_url, "contacts", "delete", i.reference.lower(), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"deleted": 1' in out and EMAIL not in out
    assert store.count(m.InitiativeContact) == 0
    assert main(["--db", demo_db_url, "contacts", "delete", "WI-2026-9999"]) == 2
    assert capsys.readouterr().err.startswith("error: ")
