"""The demo's history of carrying out the Braakhuizen-Zuid agenda.

Progress updates by the partners and the wijkregisseur on the pilot's
activities (the latest update of each matches the activity's status and money
spent in the demo), one photo, and the year teams of 2025 and 2026 with their
meetings. Built in code, deterministically, and added by
:func:`geo.demo.load_demo` through :func:`load_progress`, so every view of
*Mijn activiteiten* and the programme page has something to show on first
start. Accounts are not part of the demo: ``wijkatlas users add NAME --role
partner --partner "Wooninc."`` creates them.
"""

from __future__ import annotations

import io

from . import demo_content as c
from . import model as m

BZ_PLAN = 6

# (activity, date-time UTC, author, organisation, status, note, spent, percent, next step)
_UPDATES: tuple[tuple, ...] = (
    (1, "2024-07-02T09:00", "wijkregisseur", "", "running", "Plekken voor de bankjes gekozen tijdens een "
     "buurtwandeling met twaalf bewoners.", 800, 40, "Bankjes bestellen"),
    (1, "2024-09-20T14:30", "wijkregisseur", "", "done", "Twee bankjes en een afvalbak staan er; bewoners "
     "zijn tevreden over de plek.", 2950, 100, ""),
    (2, "2024-06-25T10:00", "wijkregisseur", "", "done", "Struiken gesnoeid, twee lantaarnpalen geplaatst. "
     "De wijkagent ziet het pad nu 's avonds goed.", 4800, 100, ""),
    (3, "2024-09-14T16:00", c.BEWONERS_BZ, c.BEWONERS_BZ, "done", "Opruimochtend met 25 bewoners; drie nieuwe "
     "afvalbakken geplaatst door de gemeente.", 1650, 100, ""),
    (4, "2025-03-10T11:00", "opbouwwerker.levgroep", c.LEVGROEP, "running", "Elke dinsdag gemiddeld 18 bezoekers; "
     "het spreekuur van ZuidZorg wordt goed bezocht.", 3200, 35, "Vervoer regelen voor wie slecht ter been is"),
    (4, "2026-10-28T10:15", "opbouwwerker.levgroep", c.LEVGROEP, "running", "Vervoer door vrijwilligers loopt; "
     "nu 24 vaste bezoekers per week.", 7800, 80, "Evaluatie met de bezoekers in december"),
    (5, "2025-05-20T13:00", "wijkregisseur", "", "running", "Twee locaties onderzocht; omwonenden van de "
     "Heemskinderenlaan hebben zorgen over geluid.", 4000, 30, "Tweede bewonersavond"),
    (5, "2026-06-15T09:30", "wijkregisseur", "", "running", "Kostenraming aanleg en beheer in concept klaar; "
     "wacht op de reactie van de Cruyff Foundation.", 9500, 60, "Gesprek Cruyff Foundation over cofinanciering"),
    (6, "2025-11-04T08:45", "wijkregisseur", "", "running", "Ontwerp vastgesteld na inspraak; aanbesteding "
     "gestart.", 12000, 20, "Gunning aannemer"),
    (6, "2026-11-12T15:00", "wijkregisseur", "", "running", "Drempels en de versmalling bij de school liggen er; "
     "de oversteekplaatsen volgen in het voorjaar.", 40000, 55, "Oversteekplaatsen aanleggen"),
    (7, "2024-12-10T12:00", "wijkagent.dommeldal", c.POLITIE, "done", "Buurtapp met 140 deelnemers; de wijkagent "
     "leest mee.", 900, 100, ""),
    (8, "2025-12-01T10:00", "wijkregisseur", "", "running", "Bouwkundige opname van De Kiem gedaan: dak en "
     "installaties zijn aan vervanging toe.", 6000, 35, "Gebruikersplan met LEVgroep en Wooninc."),
    (8, "2026-11-20T11:30", "wijkregisseur", "", "running", "Gebruikersplan in concept: bewonersplatform, "
     "jongerenwerk en een huiskamer voor ouderen.", 11000, 60, "Toets aan het accommodatiebeleid"),
    (9, "2025-09-30T15:30", c.KINDCENTRUM, c.KINDCENTRUM, "done", "Schoolplein is groen en na schooltijd open; "
     "de wadi werkt na de eerste regenbui.", 64500, 100, ""),
    (10, "2026-04-08T09:00", "wijkregisseur", "", "running", "Route vastgesteld met ZuidZorg en bewoners; "
     "eerste vijf bankjes geplaatst.", 12000, 25, "Paden verbreden bij de Kettingstraat"),
    (10, "2026-11-03T14:00", "wijkregisseur", "", "running", "Tien rustpunten staan er; het brede pad langs "
     "de flats is klaar.", 21000, 45, "Laatste deel van de route in 2027"),
    (11, "2025-06-16T10:00", "wijkconsulent.wooninc", c.WOONINC, "running", "Eerste flat: lift en drempelloze "
     "entree klaar.", 120000, 15, "Tweede flat, bewonersbijeenkomst in september"),
    (11, "2026-10-30T10:00", "wijkconsulent.wooninc", c.WOONINC, "running", "Tweede flat klaar; 38 woningen "
     "aangepast op verzoek van bewoners.", 310000, 30, "Derde flat vanaf het voorjaar"),
    (12, "2025-12-18T16:00", "opbouwwerker.levgroep", c.LEVGROEP, "done", "Alle 312 75-plussers bezocht; 41 willen "
     "meedoen aan de koffieochtenden.", 17250, 100, ""),
    (13, "2025-07-01T20:00", "jongerenwerker.levgroep", c.LEVGROEP, "running", "Twee avonden per week op straat; "
     "minder meldingen van overlast.", 6000, 30, "Afspraken met de sporthal over de kantine"),
    (13, "2026-08-20T21:00", "jongerenwerker.levgroep", c.LEVGROEP, "running", "Vaste groep van 15 jongeren; "
     "zomeractiviteiten op het veld bij de sporthal.", 17500, 60, "Plan voor de winter"),
    (15, "2025-06-30T12:00", "wijkregisseur", "", "stopped", "Proef gestopt: gemiddeld drie reizigers per rit. "
     "Vervoer loopt nu via vrijwilligers van LEVgroep.", 8400, 40, ""),
    (17, "2026-09-15T10:30", "wijkregisseur", "", "running", "Ontwerp gekozen door ouders uit de buurt; "
     "aanleg gestart.", 20000, 50, "Zandbak en bankjes plaatsen"),
    (17, "2026-11-24T13:00", "wijkregisseur", "", "running", "Speelplek bijna klaar; de zandbak is gevuld "
     "en de bankjes staan.", 26000, 85, "Opening met de buurt in december"),
    (18, "2024-12-05T09:00", "wijkagent.dommeldal", c.POLITIE, "done", "Metingen gedeeld op de bewonersavond: "
     "een kwart reed harder dan 40 km/u.", 2500, 100, ""),
    (19, "2026-10-12T11:00", c.BEWONERS_BZ, c.BEWONERS_BZ, "running", "Twaalf bakken aangelegd naast de oude "
     "school; de eerste oogst is gedeeld.", 3500, 40, "Waterpunt aanleggen"),
)
PHOTO_UPDATE = 23  # index in _UPDATES of the update that carries the demo photo (the play area)

_MEMBERS = [
    {"name": "Wijkregisseur Braakhuizen", "organisation": c.GEMEENTE, "role": "voorzitter"},
    {"name": "Wijkconsulent", "organisation": c.WOONINC, "role": "wonen"},
    {"name": "Opbouwwerker", "organisation": c.LEVGROEP, "role": "welzijn en ontmoeting"},
    {"name": "Wijkagent", "organisation": c.POLITIE, "role": "veiligheid"},
    {"name": "Wijkverpleegkundige", "organisation": c.ZUIDZORG, "role": "zorg"},
    {"name": "Voorzitter bewonersplatform", "organisation": c.BEWONERS_BZ, "role": "bewoners"},
]
_TEAMS = (
    (2025, _MEMBERS + [{"name": "Directeur kindcentrum", "organisation": c.KINDCENTRUM, "role": "school"}],
     [5, 6, 9, 11, 12, 13], [6, 7, 8, 9],
     [("2025-02-11", "Speerpunten 2025 vastgesteld: verkeer op de Laan der Vier Heemskinderen, ontmoeting, "
                     "woningen voor ouderen."),
      ("2025-06-24", "Buurtbus stoppen; het geld gaat naar vervoer door vrijwilligers."),
      ("2025-10-14", "De Kiem verkennen als buurthuis; Wooninc. en LEVgroep schuiven aan.")]),
    (2026, _MEMBERS, [4, 5, 6, 8, 10, 11, 13, 17, 19], [5, 6, 7, 11],
     [("2026-02-10", "Wandelroute en speelplek Kettingstraat krijgen voorrang; Cruijff Court wacht op cofinanciering."),
      ("2026-09-08", "Gebruikersplan De Kiem voor het eind van het jaar naar het college.")]),
)


def demo_photo() -> bytes:
    """A small drawn picture of the new play area (no camera, no metadata)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 400), (170, 205, 235))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 250, 640, 400), fill=(110, 170, 90))
    d.ellipse((60, 270, 300, 360), fill=(232, 210, 150), outline=(150, 120, 80), width=4)  # sandbox
    for x in (380, 500):  # two benches
        d.rectangle((x, 280, x + 90, 292), fill=(120, 80, 50))
        d.rectangle((x + 8, 292, x + 16, 320), fill=(80, 80, 80))
        d.rectangle((x + 74, 292, x + 82, 320), fill=(80, 80, 80))
    d.ellipse((520, 40, 590, 110), fill=(250, 220, 90))
    raw = io.BytesIO()
    img.save(raw, format="PNG")
    return raw.getvalue()


def load_progress(store) -> dict[str, int]:
    """Add the demo's updates, photo, year teams and meetings (inside the demo's transaction)."""
    from .execution.photos import prepare_photo

    photo = store.add(prepare_photo(demo_photo()))
    for i, (act, at, author, org, status, note, spent, percent, next_step) in enumerate(_UPDATES):
        store.add(m.ActivityUpdate(activity_id=act, at=f"{at}:00+00:00", author=author, organisation=org,
                                   status=status, note=note, spent_eur=float(spent), percent_done=percent,
                                   next_step=next_step, photo_id=photo.id if i == PHOTO_UPDATE else None))
    meetings = 0
    for year, members, acts, items, held in _TEAMS:
        team = store.add(m.YearTeam(plan_id=BZ_PLAN, year=year, members=members, activity_ids=acts,
                                    analysis_item_ids=items))
        for date, decisions in held:
            store.add(m.TeamMeeting(team_id=team.id, date=date, decisions=decisions))
            meetings += 1
    return {"activity_updates": len(_UPDATES), "year_teams": len(_TEAMS), "team_meetings": meetings}
