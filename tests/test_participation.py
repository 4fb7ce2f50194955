"""Resident participation: pins, drafts, limits, references, support, public views."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from geo.clients import Client
from shapely.geometry import Point

from geo import model as m
from geo import participation as P
from geo.access import ANONYMOUS, Actor
from geo.crs import rd_to_lonlat
from geo.errors import NotFound, PermissionDenied, ValidationError
from geo.spatial import AreaIndex

NOW = datetime(2030, 3, 1, 12, 0, tzinfo=timezone.utc)
BRAAKHUIZEN_ZUID = "BU17710005"


@pytest.fixture
def index(demo_store):
    return AreaIndex.from_store(demo_store)


@pytest.fixture
def config():
    return P.ParticipationConfig(per_client=100, per_address=100, per_minute=1000)


def _inside_pin(demo_store, code=BRAAKHUIZEN_ZUID) -> P.Pin:
    return P.pin_in_buurt(demo_store.get(m.Area, code))


def _draft(pin, text="Meer bankjes bij de speeltuin graag", category="meeting", email="") -> P.Draft:
    return P.Draft(category=category, text=text, pin=pin, email=email)


def test_config_file_is_read_and_has_the_documented_defaults():
    config = P.load_config()
    assert config.hold_for_review is True
    assert config.duplicate_distance_m == 150
    assert config.initial_status == "received"


def test_config_refuses_unknown_settings(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[suggestions]\nper_sesion = 3\n")
    with pytest.raises(Exception, match="per_sesion"):
        P.load_config(path)


def test_click_inside_gives_its_buurt_and_outside_gives_none(demo_store, index):
    pin = _inside_pin(demo_store)
    event = {"last_clicked": {"lat": pin.lat, "lng": pin.lon}}
    clicked = P.pin_at_click(event, index)
    assert clicked.buurt_code == BRAAKHUIZEN_ZUID and clicked.inside
    far = P.pin_at_click({"last_clicked": {"lat": 52.37, "lng": 4.89}}, index)  # Amsterdam
    assert far is not None and not far.inside
    assert P.pin_at_click(None, index) is None
    assert P.pin_at_click({"last_clicked": None}, index) is None
    assert P.pin_at_click({"last_clicked": {"lat": "x", "lng": 1}}, index) is None


def test_pin_in_buurt_lies_in_that_buurt(demo_store, index):
    for area in demo_store.list(m.Area, level="buurt"):
        pin = P.pin_in_buurt(area)
        assert index.code_at(pin.point) == area.code


def test_draft_validation_names_the_field(demo_store, config):
    pin = _inside_pin(demo_store)
    with pytest.raises(ValidationError) as err:
        P.validate_draft(_draft(None), config)
    assert err.value.where == "plek"
    with pytest.raises(ValidationError) as err:
        P.validate_draft(_draft(P.Pin(4.89, 52.37, None)), config)
    assert "buiten de gemeente" in str(err.value)
    with pytest.raises(ValidationError) as err:
        P.validate_draft(_draft(pin, category="party"), config)
    assert err.value.where == "categorie"
    with pytest.raises(ValidationError) as err:
        P.validate_draft(_draft(pin, text="x" * (config.max_text_length + 1)), config)
    assert err.value.where == "tekst"
    with pytest.raises(ValidationError):
        P.validate_draft(_draft(pin, text="  ok "), config)
    with pytest.raises(ValidationError) as err:
        P.validate_draft(_draft(pin, email="not an address"), config)
    assert err.value.where == "e-mail"
    P.validate_draft(_draft(pin, email="bewoner@example.nl"), config)


def test_submit_outside_the_municipality_is_refused_and_stores_nothing(demo_store, config):
    before = demo_store.count(m.Suggestion)
    with pytest.raises(ValidationError, match="buiten de gemeente"):
        P.submit(demo_store, ANONYMOUS, _draft(P.Pin(4.89, 52.37, "BU17710005")), config, now=NOW)
    assert demo_store.count(m.Suggestion) == before


def test_submit_assigns_buurt_reference_and_keeps_email_apart(demo_store, config):
    pin = _inside_pin(demo_store)
    s = P.submit(demo_store, ANONYMOUS, _draft(pin, email="bewoner@example.nl"), config, now=NOW)
    assert s.reference == "WA-2030-0001"
    assert s.buurt_code == BRAAKHUIZEN_ZUID
    assert s.status == "received"
    stored = demo_store.get(m.Suggestion, s.id)
    assert "example" not in repr(stored)
    contacts = demo_store.list(m.Contact, suggestion_id=s.id)
    assert [c.email for c in contacts] == ["bewoner@example.nl"]
    second = P.submit(demo_store, ANONYMOUS, _draft(pin), config, now=NOW)
    assert second.reference == "WA-2030-0002"
    assert demo_store.list(m.Contact, suggestion_id=second.id) == []


def test_submit_trusts_the_store_not_the_session_for_the_buurt(demo_store, config):
    pin = _inside_pin(demo_store)
    forged = P.Pin(pin.lon, pin.lat, "BU17710100")  # claims Mierlo
    s = P.submit(demo_store, ANONYMOUS, _draft(forged), config, now=NOW)
    assert s.buurt_code == BRAAKHUIZEN_ZUID


def test_publish_then_review_publishes_at_once(demo_store):
    config = P.ParticipationConfig(hold_for_review=False)
    s = P.submit(demo_store, ANONYMOUS, _draft(_inside_pin(demo_store)), config, now=NOW)
    assert s.status == "published"
    assert s.id in {v.id for v in P.public_suggestions(demo_store)}


def _client(browser: str | None, address: str = "198.51.100.7") -> Client:
    return Client(address=address, browser=browser)


def test_per_client_limit_survives_new_sessions_and_spares_others(demo_store):
    config = P.ParticipationConfig(per_client=2, per_address=10)
    pin = _inside_pin(demo_store)
    flooder, neighbour = _client("flood"), _client("buur", address="203.0.113.9")
    for _ in range(2):
        P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=flooder, now=NOW)
    before = demo_store.count(m.Suggestion)
    # A reload or a new tab is a new session, but the same browser (cookie).
    with pytest.raises(P.LimitReached, match="maximaal 2") as err:
        P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=flooder, now=NOW)
    assert err.value.kind == "client"
    assert demo_store.count(m.Suggestion) == before
    # Someone else is not affected.
    assert P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=neighbour, now=NOW).id
    # After the window the flooder may send again.
    later = NOW + timedelta(minutes=61)
    assert P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=flooder, now=later).id


def test_per_address_limit_catches_a_browser_that_drops_its_cookie(demo_store):
    config = P.ParticipationConfig(per_client=2, per_address=3)
    pin = _inside_pin(demo_store)
    for i in range(3):
        P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=_client(f"fresh-{i}"), now=NOW)
    with pytest.raises(P.LimitReached) as err:
        P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=_client("fresh-9"), now=NOW)
    assert err.value.kind == "address"
    assert P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=_client("x", "192.0.2.1"), now=NOW).id


def test_server_wide_limit_is_a_last_line_of_defence(demo_store):
    config = P.ParticipationConfig(per_minute=3, per_client=100, per_address=100)
    pin = _inside_pin(demo_store)
    for i in range(3):
        P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=_client(str(i), f"192.0.2.{i}"), now=NOW)
    with pytest.raises(P.LimitReached, match="minuut") as err:
        P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=_client("z", "192.0.2.99"), now=NOW)
    assert err.value.kind == "busy"
    later = NOW.replace(minute=2)
    assert P.submit(demo_store, ANONYMOUS, _draft(pin), config, client=_client("z"), now=later).reference
    assert P.ParticipationConfig().per_minute >= 10 * P.ParticipationConfig().per_client


def test_near_duplicates_same_category_within_distance(demo_store, config):
    published = demo_store.list(m.Suggestion, status="published")[0]
    p = published.geometry
    near = Point(p.x + 40, p.y)
    found = P.near_duplicates(demo_store, published.category, near, config)
    assert published.id in [s.id for s, _ in found]
    expected = P.coarsen(p, config.coarsen_grid_m).distance(near)
    assert dict((s.id, d) for s, d in found)[published.id] == pytest.approx(expected, abs=0.1)
    other = next(c for c in m.SUGGESTION_CATEGORIES if c != published.category)
    assert published.id not in [s.id for s, _ in P.near_duplicates(demo_store, other, near, config)]
    far = Point(p.x + 1000, p.y)
    assert published.id not in [s.id for s, _ in P.near_duplicates(demo_store, published.category, far, config)]


def test_near_duplicates_never_offers_unreviewed_or_hidden(demo_store, config):
    for s in demo_store.list(m.Suggestion, status=["received", "hidden", "rejected", "merged"]):
        found = P.near_duplicates(demo_store, s.category, s.geometry, config)
        assert s.id not in [x.id for x, _ in found]


def test_support_once_per_client_across_sessions(demo_store):
    s = demo_store.list(m.Suggestion, status="published")[0]
    browser = _client("browser-1")
    assert P.support(demo_store, ANONYMOUS, s.id, browser) == s.supporters + 1
    for _ in range(5):  # five reloads: the same cookie, no extra support
        with pytest.raises(ValidationError, match="al"):
            P.support(demo_store, ANONYMOUS, s.id, _client("browser-1"))
    assert demo_store.get(m.Suggestion, s.id).supporters == s.supporters + 1
    assert s.id in P.supported_by(demo_store, browser)
    assert P.support(demo_store, ANONYMOUS, s.id, _client("browser-2", "192.0.2.3")) == s.supporters + 2


def test_support_per_address_is_capped_when_cookies_are_dropped(demo_store):
    s = demo_store.list(m.Suggestion, status="published")[0]
    config = P.ParticipationConfig(supports_per_address=3)
    for i in range(3):
        P.support(demo_store, ANONYMOUS, s.id, _client(f"fresh-{i}"), config)
    with pytest.raises(P.LimitReached) as err:
        P.support(demo_store, ANONYMOUS, s.id, _client("fresh-9"), config)
    assert err.value.kind == "support"
    assert demo_store.get(m.Suggestion, s.id).supporters == s.supporters + 3


def test_author_cannot_support_own_suggestion(demo_store):
    me = _client("author")
    s = P.submit(demo_store, ANONYMOUS, _draft(_inside_pin(demo_store)), P.ParticipationConfig(hold_for_review=False),
                 client=me, now=NOW)
    with pytest.raises(ValidationError, match="eigen"):
        P.support(demo_store, ANONYMOUS, s.id, me)
    assert demo_store.get(m.Suggestion, s.id).supporters == 0


def test_cannot_support_what_is_not_public(demo_store):
    hidden = demo_store.list(m.Suggestion, status="received")[0]
    with pytest.raises(NotFound):
        P.support(demo_store, ANONYMOUS, hidden.id, _client("x"))
    assert demo_store.get(m.Suggestion, hidden.id).supporters == hidden.supporters


def test_public_views_hide_unreviewed_and_never_carry_contacts(demo_store, config):
    s = P.submit(demo_store, ANONYMOUS, _draft(_inside_pin(demo_store), email="geheim@example.nl"),
                 P.ParticipationConfig(hold_for_review=False), now=NOW)
    views = P.public_suggestions(demo_store)
    statuses = {v.status for v in views}
    assert statuses <= set(m.PUBLIC_SUGGESTION_STATUSES)
    assert s.id in {v.id for v in views}
    assert "geheim@example.nl" not in repr(views)
    received = {x.id for x in demo_store.list(m.Suggestion, status="received")}
    assert not received & {v.id for v in views}


def test_public_filters_by_buurt_and_category(demo_store):
    views = P.public_suggestions(demo_store, buurt=BRAAKHUIZEN_ZUID, category="meeting")
    assert views and all(v.buurt_code == BRAAKHUIZEN_ZUID and v.category == "meeting" for v in views)


def test_in_plan_links_its_activity(demo_store):
    views = [v for v in P.public_suggestions(demo_store) if v.status == "in_plan"]
    assert views
    linked = [v for v in views if v.activity]
    assert linked
    text = P.status_text(linked[0], "nl")
    assert linked[0].activity.title in text and text.startswith("Opgenomen in het plan")


def test_answer_and_reason_are_public_only_where_meant(demo_store):
    for v in P.public_suggestions(demo_store):
        if v.status in ("answered", "not_taken"):
            assert v.answer and v.answer in P.status_text(v, "nl")
        if v.status == "published":
            assert v.answer == ""


def test_coarsen_snaps_to_grid_centre():
    p = Point(160_012.3, 380_049.9)
    c = P.coarsen(p, 25)
    assert (c.x, c.y) == (160_012.5, 380_037.5)
    assert P.coarsen(p, 0) is p
    assert c.distance(p) <= 25 * 2 ** 0.5 / 2


def test_public_pins_are_coarsened_when_configured(demo_store):
    exact = {v.id: v.geometry for v in P.public_suggestions(demo_store)}
    coarse = P.public_suggestions(demo_store, grid_m=50)
    for v in coarse:
        assert v.geometry.x % 50 == 25 and v.geometry.y % 50 == 25
        assert v.geometry.distance(exact[v.id]) <= 36


def test_follow_code_is_random_and_only_its_holder_sees_an_unreviewed_suggestion(demo_store, config):
    me = Client(address="198.51.100.7", browser="mine")
    s = P.submit(demo_store, ANONYMOUS, _draft(_inside_pin(demo_store)), config, client=me, now=NOW)
    assert P.FOLLOW_RE.match(s.follow_code)
    codes = {P.new_follow_code() for _ in range(200)}
    assert len(codes) == 200  # random, not a sequence
    v = P.track(demo_store, s.follow_code.lower())
    assert v.status == "received" and v.text == s.text
    assert "beoordeling" in P.status_text(v, "nl")
    # The sequential reference is guessable: to anyone else it shows nothing,
    # exactly as a reference that does not exist.
    with pytest.raises(NotFound) as unknown:
        P.track(demo_store, "WA-1999-0001")
    with pytest.raises(NotFound) as guessed:
        P.track(demo_store, s.reference, client=Client(address="203.0.113.1", browser="other"))
    assert str(guessed.value).replace(s.reference, "X") == str(unknown.value).replace("WA-1999-0001", "X")
    # … but the browser that sent it may still follow it by its reference.
    assert P.track(demo_store, s.reference, client=me).status == "received"
    with pytest.raises(NotFound):
        P.track(demo_store, "K7M2-QX9D-4HTP")


def test_hidden_and_rejected_show_nothing_by_reference_but_public_ones_do(demo_store):
    for status in ("received", "hidden", "rejected", "merged"):
        for s in demo_store.list(m.Suggestion, status=status):
            with pytest.raises(NotFound):
                P.track(demo_store, s.reference)
    for s in demo_store.list(m.Suggestion, status=list(m.PUBLIC_SUGGESTION_STATUSES)):
        assert P.track(demo_store, s.reference).id == s.id  # older references keep working


def test_delete_contact_needs_admin_and_leaves_the_suggestion(demo_store, config):
    s = P.submit(demo_store, ANONYMOUS, _draft(_inside_pin(demo_store), email="weg@example.nl"), config, now=NOW)
    with pytest.raises(PermissionDenied):
        P.delete_contact(demo_store, Actor("mo", "moderator"), s.reference)
    assert P.delete_contact(demo_store, Actor("ad", "admin"), s.reference) == 1
    assert demo_store.list(m.Contact, suggestion_id=s.id) == []
    assert demo_store.exists(m.Suggestion, s.id)
    log = demo_store.list(m.AuditEntry, action="contacts.delete")
    assert log and "weg@example.nl" not in repr(log)


def test_popup_escapes_resident_text(demo_store):
    view = P.PublicSuggestion(1, "WA-2026-0001", "other", "<img src=x onerror=alert(1)> `${alert(1)}`",
                              "published", BRAAKHUIZEN_ZUID, 0, "", "2026-01-01",
                              _inside_pin(demo_store).point)
    html = P.suggestion_popup(view)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    rendered = P.public_map([view], demo_store.list(m.Area, level="buurt")).get_root().render()
    assert "<img src=x" not in rendered


def test_unique_reference_index_refuses_a_second_copy(demo_store):
    from geo.errors import StoreError

    s = demo_store.list(m.Suggestion)[0]
    copy = m.Suggestion(category=s.category, text="kopie", geometry=s.geometry, reference=s.reference)
    with pytest.raises(StoreError, match="(?i)unique"):
        demo_store.add(copy)


def test_pin_point_round_trips(demo_store):
    pin = _inside_pin(demo_store)
    lon, lat = rd_to_lonlat(pin.point.x, pin.point.y)
    assert (round(lon, 6), round(lat, 6)) == (pin.lon, pin.lat)


def test_a_malformed_reference_is_a_short_clear_message(demo_store):
    with pytest.raises(NotFound, match="geen kenmerk") as err:
        P.track(demo_store, "<b>x</b>" * 1000)
    assert len(str(err.value)) < 120


def test_near_duplicate_distances_do_not_reveal_the_exact_pin(demo_store):
    """Previews from anywhere in one grid cell's surroundings measure to the
    cell centre, so triangulating gives the coarsened pin, not the click."""
    grid = P.ParticipationConfig(coarsen_grid_m=25, duplicate_distance_m=500)
    published = demo_store.list(m.Suggestion, status="published")[0]
    exact, public = published.geometry, P.coarsen(published.geometry, 25)
    for dx, dy in ((100, 0), (0, 120), (-90, -60)):
        probe = Point(exact.x + dx, exact.y + dy)
        found = dict((s.id, d) for s, d in P.near_duplicates(demo_store, published.category, probe, grid))
        assert found[published.id] == pytest.approx(public.distance(probe), abs=0.1)
    exact_only = P.ParticipationConfig(coarsen_grid_m=0, duplicate_distance_m=500)
    probe = Point(exact.x + 100, exact.y)
    found = dict((s.id, d) for s, d in P.near_duplicates(demo_store, published.category, probe, exact_only))
    assert found[published.id] == pytest.approx(100, abs=0.1)


def test_the_next_reference_reads_the_references_not_every_suggestion(demo_store, monkeypatch):
    """Each submission numbers its suggestion inside its write transaction: with
    100,000 suggestions, reading every one with its pin took a second there."""
    for ref in ("WA-2031-0007", "WA-2031-0012", "WA-2030-0099", "WA-2031-12345", "XX-2031-0500", ""):
        demo_store.add(m.Suggestion("play", f"s {ref}", Point(165_500, 380_500), status="published",
                                    reference=ref))
    original = demo_store.list

    def no_suggestions(cls, *args, **kwargs):
        assert cls is not m.Suggestion, "every suggestion read to number one"
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(demo_store, "list", no_suggestions)
    assert P.next_reference(demo_store, 2031) == "WA-2031-12346"
    assert P.next_reference(demo_store, 2030) == "WA-2030-0100"
    assert P.next_reference(demo_store, 2032) == "WA-2032-0001"


def test_the_public_list_of_one_gemeente_reads_no_other(demo_store, monkeypatch):
    """The resident's list of suggestions shows one gemeente: a national database's
    other 100,000 suggestions are not read (nor made into public views) for it."""
    from geo.scope import Scope

    for i, (code, status, category) in enumerate([("BU99990000", "published", "play"),
                                                  ("BU99990001", "received", "play"),
                                                  (None, "published", "meeting"),
                                                  ("BU17710005", "answered", "play")]):
        demo_store.add(m.Suggestion(category, f"s{i}", Point(165_500 + i, 380_500), status=status, buurt_code=code,
                                    supporters=i))
    scopes = (Scope("GM1771", "G", unplaced=True), Scope("GM9999", "P", unplaced=False))
    want = {(sc.code, cat): [v for v in P.public_suggestions(demo_store, category=cat) if sc.contains(v.buurt_code)]
            for sc in scopes for cat in (None, "play")}
    original = demo_store.list

    def guarded(cls, *args, **kwargs):
        found = original(cls, *args, **kwargs)
        if cls is m.Suggestion:
            assert not [s.text for s in found if s.buurt_code and not s.buurt_code.startswith(("BU1771", "BU9999"))]
            read.extend(s.buurt_code for s in found)
        return found

    monkeypatch.setattr(demo_store, "list", guarded)
    for sc in scopes:
        for cat in (None, "play"):
            read = []
            assert P.public_suggestions(demo_store, category=cat, scope=sc) == want[(sc.code, cat)]
            assert all(sc.contains(code) for code in read), (sc.code, read)  # none of the other gemeente's
    assert [v.text for v in P.public_suggestions(demo_store, scope=scopes[1])] == ["s0"]
