"""The store: every entity round-trips, transactions are all-or-nothing."""

import sqlite3
import threading

import pytest
from shapely.geometry import LineString, Point

from geo import model as m
from geo.errors import ConfigError, NotFound, StoreError, ValidationError
from geo.store import TABLES, open_store
from geo.store.migrations import LATEST_VERSION
from tests.common import BUURT_A, INSIDE_A, small_world


def one_of_each() -> list[m.Record]:
    return [
        m.Area("BU99990000", "Noord", geometry=BUURT_A, figures={"AANT_INW": 1000, "P_65_EO_JR": None}, source="t"),
        m.Partner("LEVgroep", kind="welfare", contact="info@example.nl"),
        m.Plan("BU99990000", "Plan Noord", stage="analysis", year=2026, summary="s", intended_effects="e"),
        m.AnalysisItem(plan_id=1, kind="bottleneck", domain="safety", text="Donker pad", source="resident_input",
                       geometry=LineString([(165_100, 380_100), (165_200, 380_200)])),
        m.Activity(title="Buurtfeest", domain="social", description="Jaarlijks", lead_partner="LEVgroep",
                   partners=["Wooninc.", "Gemeente"], start="2026-Q2", end="2026-Q3", status="running",
                   cost_estimate_eur=2500.0, cost_actual_eur=1200.5, quick_win=True, buurt_code="BU99990000",
                   plan_id=1, geometry=INSIDE_A),
        m.RealEstate(name="Hofdael", geometry=INSIDE_A, address="Hofdael 1", bag_id="1771100000000001",
                     function="cultuur", floor_area_m2=5400.0, occupancy_pct=62.5, condition=3,
                     yearly_cost_eur=410_000.0, book_value_eur=3.2e6, policy="flexible", buurt_code="BU99990000"),
        m.MeetingPlace(name="Cruijff Court Noord", kind="cruijff_court", geometry=INSIDE_A, status="candidate",
                       capacity=40, real_estate_id=1, buurt_code="BU99990000", description="Bij de school"),
        m.Suggestion(category="meeting", text="Een <b>plek</b> om te ontmoeten", geometry=INSIDE_A,
                     status="published", created_at="2026-03-01T10:00:00", reference="WA-2026-0001",
                     buurt_code="BU99990000", supporters=3, answer=""),
        m.EvaluationFactor(plan_id=1, factor="Bewoners vroeg betrokken", outcome="success", domain="social",
                           evidence="Opkomst 120", lesson="Begin met een buurtavond", share_lesson=True),
        m.User(name="anna", role="planner", password_hash="$argon2id$x", created_at="2026-01-01"),
        m.Contact(suggestion_id=1, email="bewoner@example.nl"),
        m.AuditEntry(at="2026-03-02T09:00:00", user="mod", action="publish", target="WA-2026-0001"),
        m.StaffSession(sid="abc", user_name="anna", role="planner", created_at=1.0, last_seen=2.5),
        m.AddressPoint(Point(165_400, 380_400), inhabitants=2.0, bag_id="1771010000000001",
                       buurt_code="BU99990000", postcode="5664HV", house_number=12, house_letter="A",
                       house_number_addition="2", street="Sint-Jozefstraat", place="Geldrop"),
        m.Initiative(title="Moestuin", text="Een moestuin bij de school", participants="6 buren",
                     cost_eur=1500.0, geometry=INSIDE_A, buurt_code="BU99990000", domain="spatial",
                     status="approved", created_at="2026-03-03T10:00:00", reference="WI-2026-0001",
                     reason="Past in het plan", activity_id=1),
        m.InitiativeContact(initiative_id=1, email="buur@example.nl", token="t" * 32),
        m.EvaluationRound(plan_id=1, title="Evaluatie 2026", opens_on="2026-05-01", closes_on="2026-06-01",
                          closed=True, created_at="2026-04-30T10:00:00"),
        m.EvaluationStatement(round_id=1, domain="social", text="De ontmoetingsplek wordt goed gebruikt",
                              position=1),
        m.EvaluationResponse(round_id=1, respondent="sessie-1", respondent_group="partner",
                             created_at="2026-05-02T10:00:00"),
        m.EvaluationAnswer(response_id=1, statement_id=1, score=4, comment="Vaak vol"),
        m.OutboxMessage(key="suggestion:1:published:x:contact:1", recipient="bewoner@example.nl",
                        subject="Uw suggestie", body="Tekst", status="pending", attempts=2,
                        next_attempt_at="2026-03-02T09:05:00", last_error="SMTPDataError 451",
                        created_at="2026-03-02T09:00:00"),
        m.PendingPlace(layer="real-estate", data={"name": "De Smelt", "policy": "keep"},
                       address="Kerkstraat 1, Geldrop", reason="adres niet gevonden",
                       candidates=[{"label": "Kerkstraat 3", "x": 1.0, "y": 2.0, "bag_id": ""}],
                       source="vastgoed.xlsx, blad 'Vastgoed', rij 7", created_at="2026-03-01T10:00:00"),
        m.ClientEvent(action="suggestion.submit", client_key="b:x", address_key="a:192.0.2.1", at=1.5e9),
        m.Support(suggestion_id=1, client_key="b:x", address_key="a:192.0.2.1", kind="support",
                  at="2026-03-02T09:00:00"),
        m.UpdatePhoto(content_type="image/jpeg", data=b"\xff\xd8\x00binary\x00", width=2, height=1),
        m.ActivityUpdate(activity_id=1, at="2026-11-02T10:00:00+00:00", author="lev", status="running",
                         note="Halverwege", organisation="LEVgroep", spent_eur=900.0, percent_done=50,
                         next_step="Afronden", photo_id=1),
        m.YearTeam(plan_id=1, year=2026, members=[{"name": "Anna", "organisation": "Gemeente", "role": "voorzitter"}],
                   activity_ids=[1], analysis_item_ids=[1]),
        m.TeamMeeting(team_id=1, date="2026-02-10", decisions="Speerpunten vastgesteld"),
        m.User(name="lev-partner", role="partner", password_hash="$argon2id$y", created_at="2026-01-01",
               partner_id=1),
    ]


def test_schema_covers_every_stored_field(store):
    for spec in TABLES.values():
        columns = store.table_columns(spec.table)
        missing = set(spec.kinds) - columns
        assert not missing, f"{spec.table} lacks columns {missing}"


def test_every_entity_round_trips(store):
    records = one_of_each()
    assert {type(r) for r in records} == set(TABLES), "one_of_each must cover every stored type"
    for record in records:
        store.add(record)
    for record in records:
        spec = TABLES[type(record)]
        back = store.get(type(record), getattr(record, spec.pk))
        assert back == record, spec.table


def test_update_list_filter_order_delete(store):
    for r in small_world():
        store.add(r)
    assert [a.code for a in store.list(m.Area, level="buurt")] == ["BU99990000", "BU99990001"]
    assert [a.code for a in store.list(m.Area, order_by="-code", level="buurt")] == ["BU99990001", "BU99990000"]
    assert store.count(m.Area, level="buurt") == 2
    assert [a.code for a in store.list(m.Area, code=["BU99990001", "nope"])] == ["BU99990001"]
    a = store.get(m.Area, "BU99990001")
    a.name = "Zuid-Oost"
    store.update(a)
    assert store.get(m.Area, "BU99990001").name == "Zuid-Oost"
    store.delete(m.Area, "BU99990001")
    with pytest.raises(NotFound):
        store.get(m.Area, "BU99990001")
    with pytest.raises(NotFound):
        store.delete(m.Area, "BU99990001")


def test_save_inserts_then_updates(store):
    p = store.save(m.Partner("Wooninc.", kind="housing_corporation"))
    p.contact = "088"
    store.save(p)
    assert store.count(m.Partner) == 1 and store.get(m.Partner, p.id).contact == "088"


def test_invalid_record_is_refused_and_nothing_written(store):
    with pytest.raises(ValidationError):
        store.add(m.Activity(title="x", domain="nonsense"))
    assert store.count(m.Activity) == 0


def test_transaction_is_all_or_nothing(store):
    before = store.data_version()
    with pytest.raises(ValidationError):
        with store.transaction():
            store.add(m.Partner("A", kind="welfare"))
            store.add(m.Partner("B", kind="welfare"))
            store.add(m.Partner("", kind="welfare"))
    assert store.count(m.Partner) == 0
    assert store.data_version() == before


def test_data_version_grows_with_each_write(store):
    v0 = store.data_version()
    store.add(m.Partner("A", kind="welfare"))
    assert store.data_version() > v0


def test_unique_constraint_is_a_store_error(store):
    store.add(m.User(name="anna", role="planner"))
    with pytest.raises(StoreError):
        store.add(m.User(name="anna", role="admin"))
    assert store.count(m.User) == 1


def test_increment_is_atomic_across_threads(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    sug = s.add(m.Suggestion(category="play", text="Schommel", geometry=Point(1, 1)))

    def bump():
        for _ in range(25):
            s.increment(m.Suggestion, sug.id, "supporters")

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert s.get(m.Suggestion, sug.id).supporters == 100


def test_file_store_migrates_and_reopens(tmp_path):
    url = f"sqlite:///{tmp_path / 'sub' / 'w.db'}"
    s = open_store(url)
    assert s.schema_version() == LATEST_VERSION
    s.add(m.Partner("A", kind="welfare"))
    s.close()
    again = open_store(url)
    assert again.schema_version() == LATEST_VERSION and again.count(m.Partner) == 1


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="schemaversie"):
        open_store(f"sqlite:///{path}")


def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "text.db"
    path.write_text("dit is geen database " * 100)
    with pytest.raises(StoreError):
        open_store(f"sqlite:///{path}")


@pytest.mark.parametrize("url", ["mysql://anna:geheim@x/db", "oracle://x"])
def test_unsupported_urls_explain_themselves(url):
    with pytest.raises(ConfigError) as err:
        open_store(url)
    assert "geheim" not in str(err.value)


def test_meta_default_is_written_once_and_counted_queries(store):
    assert store.meta_value("signing_secret") is None
    assert store.set_meta_default("signing_secret", "first") == "first"
    assert store.set_meta_default("signing_secret", "second") == "first"
    for at in (10.0, 20.0, 30.0):
        store.add(m.ClientEvent(action="a", client_key="b:1", address_key="a:x", at=at))
    assert store.count_since(m.ClientEvent, "at", 15.0, action="a") == 2
    assert store.count_since(m.ClientEvent, "at", 15.0, client_key="b:2") == 0
    assert store.delete_before(m.ClientEvent, "at", 25.0) == 2
    assert store.count(m.ClientEvent) == 1
