import pytest
from shapely.geometry import Point

from geo import model as m
from geo.errors import ValidationError, WijkatlasError
from tests.common import EMPTY, INSIDE_A


def test_codes_give_level_and_parent():
    assert m.level_of_code("GM1771") == "gemeente"
    assert m.level_of_code("WK177100") == "wijk"
    assert m.level_of_code("BU17710005") == "buurt"
    assert m.parent_of_code("BU17710005") == "WK177100"
    assert m.parent_of_code("WK177101") == "GM1771"
    assert m.parent_of_code("GM1771") is None


@pytest.mark.parametrize("bad", ["", "BU123", "XX17710005", "bu17710005", "WK1771000"])
def test_bad_codes_are_refused_with_the_field(bad):
    with pytest.raises(ValidationError) as err:
        m.level_of_code(bad)
    assert err.value.where == "code"


def test_area_derives_level_and_parent_from_its_code():
    a = m.Area("BU17710005", "Braakhuizen-Zuid", geometry=Point(0, 0).buffer(10))
    assert (a.level, a.parent_code, a.municipality_code) == ("buurt", "WK177100", "GM1771")
    a.validate()


def test_quarters_order_and_validate():
    assert m.quarter_index("2026-Q1") < m.quarter_index("2026-Q4") < m.quarter_index("2027-Q1")
    with pytest.raises(ValidationError):
        m.quarter_index("2026-Q5")


def test_activity_end_before_start_is_refused_naming_end():
    act = m.Activity(title="Buurtfeest", domain="social", start="2026-Q3", end="2026-Q1")
    with pytest.raises(ValidationError) as err:
        act.validate()
    assert err.value.where == "end"


@pytest.mark.parametrize(
    "record, field",
    [
        (m.Activity(title="", domain="social"), "title"),
        (m.Activity(title="x", domain="sport"), "domain"),
        (m.Activity(title="x", domain="social", cost_estimate_eur=-5), "cost_estimate_eur"),
        (m.RealEstate(name="Hofdael", geometry=INSIDE_A, occupancy_pct=120), "occupancy_pct"),
        (m.RealEstate(name="Hofdael", geometry=INSIDE_A, condition=7), "condition"),
        (m.RealEstate(name="Hofdael", geometry=INSIDE_A, policy="sell"), "policy"),
        (m.MeetingPlace(name="Court", kind="cruijff_court", geometry=None), "geometry"),
        (m.MeetingPlace(name="Court", kind="cruijff_court", geometry=EMPTY), "geometry"),
        (m.Suggestion(category="play", text=" ", geometry=INSIDE_A), "text"),
        (m.Suggestion(category="play", text="x" * 1001, geometry=INSIDE_A), "text"),
        (m.User(name="anna", role="superuser"), "role"),
    ],
)
def test_validation_names_the_refused_field(record, field):
    with pytest.raises(ValidationError) as err:
        record.validate()
    assert err.value.where == field
    assert isinstance(err.value, WijkatlasError)
    assert field in str(err.value)
