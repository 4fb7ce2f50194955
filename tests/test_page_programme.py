"""AppTest of the programme page: planning, timeline filters, dashboard, progress map, GeoPackage."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.access import Actor
from geo.navigation import entry

from test_page_plan import ROOT, open_page, world_url  # noqa: F401 - fixture

AS_OF = dt.date(2026, 11, 26)


def frames(at) -> list:
    return [d.value for d in at.dataframe]


def find_frame(at, *columns: str):
    return next(f for f in frames(at) if all(c in f.columns for c in columns))


@pytest.mark.parametrize("role", [None, "moderator", "real-estate"])
def test_only_planners_and_admins_reach_the_programme(world_url, role):  # noqa: F811
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if role:
        at.session_state["actor"] = Actor(name="x", role=role)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(entry("programma").file)


def test_dashboard_counts_money_and_partners(world_url):  # noqa: F811
    at = open_page("programma", "planner", programme_as_of=AS_OF, programme_section="dashboard")
    assert not at.exception
    assert any("2026-Q4" in c.value for c in at.caption)
    metrics = {mt.label: mt.value for mt in at.metric}
    assert metrics["Gepland"] == "2" and metrics["Loopt"] == "2" and metrics["Afgerond"] == "1"
    assert metrics["Over tijd"] == "1"  # the crossing ended 2025-Q4 and still runs
    assert metrics["Raming"] == "€ 296.000" and metrics["Uitgegeven"] == "€ 63.500"
    per_buurt = find_frame(at, "Buurt", "Gepland").set_index("Buurt")
    zuid = per_buurt.loc["Braakhuizen-Zuid"]
    assert (zuid["Gepland"], zuid["Loopt"], zuid["Afgerond"], zuid["Over tijd"]) == (1, 2, 1, 1)
    assert zuid["Fase"] == "In uitvoering" and zuid["Afgerond %"] == 25
    partners = find_frame(at, "Partner").set_index("Partner")
    assert partners.loc["Gemeente", "Betrokken bij"] == 3 and partners.loc["Gemeente", "Trekker van"] == 2
    domains = find_frame(at, "Domein", "Gepland")
    assert list(domains["Domein"])[:3] == ["Sociaal", "Ruimtelijk", "Veiligheid"]


def test_overdue_follows_the_as_of_date(world_url):  # noqa: F811
    at = open_page("programma", "planner", programme_as_of=dt.date(2025, 6, 1), programme_section="dashboard")
    assert {mt.label: mt.value for mt in at.metric}["Over tijd"] == "0"


def test_timeline_filters(world_url):  # noqa: F811
    at = open_page("programma", "planner", programme_as_of=AS_OF, programme_section="timeline")
    assert any("5 activiteiten" in c.value for c in at.caption)
    at.multiselect(key="programme_f_partner").set_value(["Politie"])
    at.run()
    assert not at.exception
    assert any("2 activiteiten" in c.value for c in at.caption)
    shown = find_frame(at, "Activiteit")
    assert set(shown["Activiteit"]) == {"Oversteek Braakhuizenstraat", "Buurtpreventie-app"}
    at.multiselect(key="programme_f_status").set_value(["done"])
    at.run()
    assert any("Geen activiteiten" in i.value for i in at.info)


def test_progress_map_and_planning_and_export(world_url):  # noqa: F811
    at = open_page("programma", "admin", programme_as_of=AS_OF)
    years = find_frame(at, "year")
    assert dict(zip(years["code"], years["year"])) == {"BU17710005": 2025, "BU17710006": 2027}
    per_year = find_frame(at, "Planjaar", "Buurt")
    assert list(per_year["Planjaar"]) == [2025, 2027]
    at.radio(key="programme_section").set_value("map")
    at.run()
    maps = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    assert maps and "Braakhuizen-Zuid" in str(maps[0].proto) and "#cb181d" in str(maps[0].proto)
    at.radio(key="programme_section").set_value("environment")
    at.run()
    env = find_frame(at, "Beoogde effecten")  # readable headers, not field names
    assert env.iloc[0]["Beoogde effecten"].startswith("Meer ontmoeting")
    assert at.get("download_button")


@pytest.mark.parametrize("section", ["years", "timeline", "dashboard", "map", "environment"])
def test_programme_runs_on_the_demo_in_english(apptest, section):
    at = apptest("programma", role="planner", lang="en", programme_section=section)
    assert not at.exception and not at.error
    assert at.title[0].value == "Neighbourhood development programme"
