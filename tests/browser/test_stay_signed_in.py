"""Stay signed in: a reload, a bookmark or a new tab keeps a staff session
(signed, expiring cookie); sign-out ends it, also for a copy of the cookie;
a wrong role is told which role a page needs."""

from __future__ import annotations

from .conftest import sign_in, sign_out, staff_account, wait_idle

NAME, PASSWORD = "planner-reload", "een veilig wachtwoord"


def _signed_in_text(page, name=NAME):
    return page.get_by_text(f"Aangemeld als {name}")


def test_reload_and_direct_url_keep_the_session_and_sign_out_ends_it(page, app_server, browser):
    staff_account(app_server["db_url"], NAME, "planner", PASSWORD)
    page.goto(app_server["url"] + "/")
    sign_in(page, NAME, PASSWORD)
    wait_idle(page)
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert "wa_staff" in cookies
    token = cookies["wa_staff"]["value"]
    assert NAME not in token and PASSWORD.split()[0] not in token and "wa_staff" not in page.url
    # F5
    page.reload()
    _signed_in_text(page).wait_for(timeout=60_000)
    # a bookmark of a staff page, in a new tab of the same browser
    tab = page.context.new_page()
    tab.goto(app_server["url"] + "/programma")
    tab.get_by_role("heading", name="Programma", exact=False).first.wait_for(timeout=60_000)
    _signed_in_text(tab).wait_for()
    tab.close()
    # sign out: the reload asks to sign in again …
    sign_out(page)
    page.reload()
    page.get_by_text("Aanmelden voor medewerkers").wait_for(timeout=60_000)
    wait_idle(page)
    assert _signed_in_text(page).count() == 0
    # … and a copy of the old cookie is worth nothing
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    other.add_cookies([{**cookies["wa_staff"], "value": token}])
    p2 = other.new_page()
    p2.goto(app_server["url"] + "/")
    p2.get_by_text("Aanmelden voor medewerkers").wait_for(timeout=60_000)
    wait_idle(p2)
    assert p2.get_by_text(f"Aangemeld als {NAME}").count() == 0
    other.close()


def test_disabling_the_account_ends_a_kept_session(page, app_server):
    from geo import auth
    from geo.access import Actor
    from geo.store import open_store

    name = "planner-disabled"
    staff_account(app_server["db_url"], name, "planner", PASSWORD)
    page.goto(app_server["url"] + "/")
    sign_in(page, name, PASSWORD)
    wait_idle(page)
    store = open_store(app_server["db_url"])
    try:
        auth.disable_user(store, Actor("test-admin", "admin"), name)
        page.reload()
        page.get_by_text("Aanmelden voor medewerkers").wait_for(timeout=60_000)
        wait_idle(page)
        assert page.get_by_text(f"Aangemeld als {name}").count() == 0
    finally:
        auth.enable_user(store, Actor("test-admin", "admin"), name)
        store.close()


def test_wrong_role_is_told_which_role_the_page_needs(page, app_server):
    name = "vastgoed-reload"
    staff_account(app_server["db_url"], name, "real-estate", PASSWORD)
    page.goto(app_server["url"] + "/")
    sign_in(page, name, PASSWORD)
    wait_idle(page)
    page.goto(app_server["url"] + "/moderatie")  # a bookmark of another role's page
    page.get_by_text("deze pagina is voor", exact=False).first.wait_for(timeout=60_000)
    text = page.locator("[data-testid=stMain]").inner_text()
    assert "Moderator" in text and "Vastgoedbeheerder" in text
    assert page.get_by_text(f"Aangemeld als {name}").count() == 1
