"""Partners in a real browser: a partner signs in, posts progress with a photo on
an activity its organisation leads, gets no form on another organisation's
activity, and the planner then sees the update and the photo on the programme page."""

from __future__ import annotations

import io

import pytest

from .conftest import select_option, sign_in, sign_out, staff_account
from .conftest import wait_idle

PARTNER, PLANNER, PASSWORD = "lev-browser", "planner-progress", "een veilig wachtwoord"
COFFEE = "Koffieochtenden voor ouderen in Dienstencentrum Kettingstraat"  # LEVgroep leads
DE_KIEM = "Verkenning hergebruik voormalige basisschool De Kiem als buurthuis"  # Gemeente leads, LEVgroep takes part
NOTE = "Kerstmarkt in het dienstencentrum met 40 bezoekers"


def photo_with_location() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (2400, 1600), (30, 140, 60))
    exif = Image.Exif()
    exif[0x010F] = "PartnerCamera"
    exif[0x8825] = {1: "N", 2: (51.0, 25.0, 30.0), 3: "E", 4: (5.0, 33.0, 10.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture(scope="module")
def accounts(app_server):
    from geo import auth
    from geo import model as m
    from geo.access import Actor
    from geo.store import open_store

    staff_account(app_server["db_url"], PLANNER, "planner", PASSWORD)
    store = open_store(app_server["db_url"])
    if not store.list(m.User, name=PARTNER):
        auth.add_user(store, Actor("test-admin", "admin"), PARTNER, "partner", PASSWORD, partner="LEVgroep")
    yield store
    store.close()


def test_partner_posts_progress_with_a_photo_and_the_planner_sees_it(page, app_server, accounts):
    from PIL import Image

    from geo import model as m

    page.goto(app_server["url"])
    sign_in(page, PARTNER, PASSWORD)
    page.get_by_role("link", name="Mijn activiteiten").click()
    page.get_by_role("heading", name="Mijn activiteiten", exact=True).wait_for(timeout=60_000)
    page.get_by_text("waarvan LEVgroep trekker is").wait_for()

    # Another organisation's activity: no form, a clear refusal.
    select_option(page, "Activiteit", f"{DE_KIEM} (Braakhuizen-Zuid)")
    page.get_by_text("U kunt alleen voortgang melden bij activiteiten waarvan uw organisatie trekker is").wait_for()
    assert page.get_by_role("button", name="Voortgang opslaan").count() == 0

    # Its own activity: an update with a photo.
    select_option(page, "Activiteit", f"{COFFEE} (Braakhuizen-Zuid)")
    page.get_by_label("Wat is er gebeurd?").fill(NOTE)
    page.get_by_label("Percentage klaar").fill("90")
    page.get_by_label("Volgende stap").fill("Evaluatie met de bezoekers")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        {"name": "kerstmarkt.jpg", "mimeType": "image/jpeg", "buffer": photo_with_location()})
    page.get_by_text("kerstmarkt.jpg").wait_for()
    page.get_by_role("button", name="Voortgang opslaan").click()
    page.get_by_text("Voortgang opgeslagen.").wait_for(timeout=60_000)
    wait_idle(page)

    (update,) = [u for u in accounts.list(m.ActivityUpdate, order_by="-at") if u.note == NOTE]
    assert (update.author, update.organisation, update.percent_done) == (PARTNER, "LEVgroep", 90)
    stored = accounts.get(m.UpdatePhoto, update.photo_id)
    assert b"PartnerCamera" not in stored.data
    with Image.open(io.BytesIO(stored.data)) as img:
        assert not img.getexif() and max(img.size) == 1600

    # The planner sees it in the programme's feed, photo included.
    sign_out(page)
    page.goto(app_server["url"])
    sign_in(page, PLANNER, PASSWORD)
    page.get_by_role("link", name="Programma").click()
    page.get_by_role("heading", name="Programma wijkontwikkeling").wait_for(timeout=60_000)
    page.get_by_text("Laatste voortgang", exact=True).click()
    wait_idle(page)
    page.get_by_text(NOTE).wait_for(timeout=30_000)
    page.get_by_text(f"{PARTNER} (LEVgroep)", exact=False).first.wait_for()
    # the newest update comes first, with its photo (served by the app itself)
    img = page.locator("img[src*='/media/']").first
    img.wait_for(timeout=30_000)
    assert COFFEE in page.locator("img[src*='/media/']").first.locator("xpath=../../..").inner_text()
    page.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=img.element_handle(), timeout=30_000)
    # nothing but basemap tiles (which may fail offline) ever leaves the machine
    assert [u for u in page.external_requests if "pdok.nl" not in u and "openstreetmap" not in u] == []
