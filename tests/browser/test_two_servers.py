"""Two app servers on two ports against one PostGIS database.

A moderator publishes a suggestion on one server; a resident on the other
server, who did not see it before, sees it on the public list after the
publication, without any restart: what one server writes, the other shows.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import run_app, sign_in, staff_account
from tests.browser.conftest import select_option as _select
from tests.browser.conftest import wait_idle as _idle

pytestmark = pytest.mark.browser

MODERATOR, PASSWORD = "mod-twee-servers", "een-lang-wachtwoord"
TEXT = "Een watertappunt bij het speelveld (twee servers)"


@pytest.fixture
def shared_db(pg_demo_url):
    from geo import model as m
    from geo import participation as P
    from geo.access import ANONYMOUS
    from geo.store import open_store

    staff_account(pg_demo_url, MODERATOR, "moderator", PASSWORD)
    store = open_store(pg_demo_url)
    pin = P.pin_in_buurt(store.get(m.Area, "BU17710005"))
    config = P.ParticipationConfig(hold_for_review=True, per_client=100, per_address=100, per_minute=100)
    s = P.submit(store, ANONYMOUS, P.Draft("play", TEXT, pin), config)
    assert s.status == "received"
    yield pg_demo_url, store, s
    store.close()


@pytest.fixture
def two_servers(shared_db, tmp_path):
    from tests.browser.conftest import _require_browser

    _require_browser()
    url = shared_db[0]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = run_app(tmp_path / "unused-a.db", tmp_path / "a", env={"WIJKATLAS_DATABASE_URL": url})
    b = run_app(tmp_path / "unused-b.db", tmp_path / "b", env={"WIJKATLAS_DATABASE_URL": url})
    server_a, server_b = next(a), next(b)
    yield server_a, server_b
    for gen in (a, b):
        next(gen, None)


def _context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _public_list(page, base: str) -> None:
    page.goto(base)
    page.get_by_role("link", name="Meedenken").click()
    page.get_by_role("heading", name="Denk mee over uw buurt").wait_for(timeout=60_000)
    page.get_by_text("Suggesties bekijken", exact=True).click()
    _idle(page)


def test_published_on_one_server_is_seen_on_the_other(browser, two_servers, shared_db):
    from geo import model as m

    server_a, server_b = two_servers
    assert server_a["url"] != server_b["url"]
    _, store, suggestion = shared_db
    reference = suggestion.reference

    resident_ctx, resident = _context(browser)
    moderator_ctx, moderator = _context(browser)
    try:
        # The resident on server B does not see it yet: it waits for review.
        _public_list(resident, server_b["url"])
        assert resident.locator("[data-testid='stText']:visible").filter(has_text=TEXT).count() == 0

        # A moderator on server A publishes it.
        moderator.goto(server_a["url"])
        sign_in(moderator, MODERATOR, PASSWORD)
        moderator.get_by_role("link", name="Moderatie").click()
        moderator.get_by_role("heading", name="Moderatie van suggesties").wait_for(timeout=60_000)
        _select(moderator, "Open suggestie", reference)
        moderator.get_by_text(f"Suggestie {reference}", exact=True).wait_for(timeout=30_000)
        moderator.get_by_role("button", name="Publiceer", exact=True).click()
        moderator.get_by_text("Publiceer: 1 suggestie(s) bijgewerkt.").wait_for(timeout=30_000)
        assert store.get(m.Suggestion, suggestion.id).status == "published"

        # Server B shows it on the resident's next run.
        _public_list(resident, server_b["url"])
        resident.locator("[data-testid='stText']:visible").filter(has_text=f"{reference}: {TEXT}").first.wait_for(
            timeout=30_000)
        for server in (server_a, server_b):
            log = server["log"].read_text(encoding="utf-8", errors="replace")
            assert "geheim-ci-wachtwoord" not in log and "Traceback" not in log
    finally:
        resident_ctx.close()
        moderator_ctx.close()
