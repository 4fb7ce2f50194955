"""The tables behind the demo data set (see :mod:`geo.demo`).

Everything here is schematic: the boundaries are drawn to be plausible in
size and position, the figures are close to, but not, the CBS figures, and
every person, text and number in the plans is made up for the demo. The
buildings carry the names of real Geldrop-Mierlo buildings (polling
stations of 2022) to make the demo recognisable; their addresses beyond the
published postcodes, BAG ids, costs and conditions are invented.

Coordinates are EPSG:28992 (RD New) metres.
"""

from __future__ import annotations

from typing import NamedTuple

from shapely import wkt
from shapely.geometry.base import BaseGeometry

from .model import (
    Activity,
    AnalysisItem,
    EvaluationFactor,
    MeetingPlace,
    Partner,
    Plan,
    RealEstate,
    Suggestion,
)

# --- boundaries ------------------------------------------------------------------

GEMEENTE_CODE = "GM1771"
GEMEENTE_NAME = "Geldrop-Mierlo"
WIJKEN = {"WK177100": "Geldrop", "WK177101": "Mierlo"}

# The border between the wijken Geldrop (west) and Mierlo (east), north to south.
WIJK_BORDER = [(168700, 383350), (169050, 382300), (169300, 381300), (169450, 380500)]
# The rest of Geldrop's outline, from the border's south end round to its north end.
GELDROP_OUTLINE = [
    (168800, 379720), (167940, 378960), (166840, 378750), (165900, 379220),
    (165380, 380240), (165520, 381420), (166160, 382440), (167440, 383080),
]
# The rest of Mierlo's outline, from the border's north end round to its south end.
MIERLO_OUTLINE = [
    (169610, 384630), (170970, 385410), (172620, 385310), (173780, 384440),
    (173980, 383080), (173100, 381820), (171550, 381140), (170290, 380660),
]
CENTRUM_CODE = "BU17710000"
CENTRUM_OUTLINE = [
    (166650, 381500), (167000, 381780), (167500, 381680), (167680, 381220),
    (167420, 380820), (166860, 380780), (166560, 381120),
]
# One seed per other Geldrop buurt: their Voronoi cells, clipped, are the buurten.
GELDROP_SEEDS = {
    "BU17710001": (166300, 382000),  # Skandia, north-west
    "BU17710002": (168300, 382250),  # Akert, north-east
    "BU17710003": (168450, 380900),  # Zesgehuchten, east
    "BU17710004": (165950, 380900),  # Braakhuizen-Noord, west
    "BU17710005": (166500, 380000),  # Braakhuizen-Zuid, south-west
    "BU17710006": (167700, 379750),  # Coevering, south
    "BU17710007": (167350, 382450),  # Genoenhuis, north
    "BU17710009": (166100, 379300),  # Gijzenrooi, far south-west
}
MIERLO_VILLAGE_CODE = "BU17710100"
MIERLO_RURAL_CODE = "BU17710109"
# Mierlo village reaches the northern municipal border (toward Helmond); drawn
# beyond it and clipped to the wijk.
MIERLO_VILLAGE_OUTLINE = [
    (170450, 385800), (170550, 384300), (170650, 383300), (171000, 382750),
    (171700, 382650), (172150, 383000), (172250, 384100), (172050, 385800),
]


class BuurtFigures(NamedTuple):
    code: str
    name: str
    inhabitants: int
    men: int
    ages: tuple[int, int, int, int, int]  # % 0-14, 15-24, 25-44, 45-64, 65+
    households: int
    single_person_pct: int
    dwellings: int


BUURTEN = [
    BuurtFigures("BU17710000", "Centrum", 2610, 1290, (9, 10, 27, 25, 29), 1430, 52, 1480),
    BuurtFigures("BU17710001", "Skandia", 2905, 1440, (16, 11, 24, 28, 21), 1270, 33, 1290),
    BuurtFigures("BU17710002", "Akert", 3815, 1905, (17, 12, 24, 27, 20), 1640, 31, 1720),
    BuurtFigures("BU17710003", "Zesgehuchten", 3470, 1740, (15, 12, 22, 30, 21), 1480, 30, 1530),
    BuurtFigures("BU17710004", "Braakhuizen-Noord", 3390, 1680, (13, 10, 23, 27, 27), 1560, 40, 1610),
    BuurtFigures("BU17710005", "Braakhuizen-Zuid", 4060, 1985, (11, 9, 20, 26, 34), 1910, 44, 1935),
    BuurtFigures("BU17710006", "Coevering", 4720, 2355, (16, 12, 23, 28, 21), 2010, 32, 2130),
    BuurtFigures("BU17710007", "Genoenhuis", 3340, 1665, (15, 12, 23, 29, 21), 1460, 34, 1530),
    BuurtFigures("BU17710009", "Gijzenrooi", 1170, 615, (14, 13, 19, 33, 21), 430, 22, 437),
    BuurtFigures("BU17710100", "Mierlo", 10655, 5315, (15, 12, 21, 29, 23), 4470, 29, 4535),
    BuurtFigures("BU17710109", "Verspreide huizen Mierlo", 600, 305, (13, 13, 18, 35, 21), 235, 20, 251),
]

# CBS Kerncijfers wijken en buurten 2024 (table 85984NED). The buurten above
# add up to these. CBS rounds wijk counts to multiples of five: Mierlo's
# published women (5630) and men (5620) add up to 11250, not to its 11255
# inhabitants, so the demo's Mierlo has 5635 women.
CBS_WIJK_TOTALS = {
    "WK177100": {"AANT_INW": 29480, "AANT_MAN": 14675, "AANT_VROUW": 14805, "WONINGEN": 13662},
    "WK177101": {"AANT_INW": 11255, "AANT_MAN": 5620, "WONINGEN": 4786},
}
# The municipality's exact totals (the rounded wijken add up to 40735).
CBS_GEMEENTE_TOTALS = {"AANT_INW": 40733, "AANT_MAN": 20294, "AANT_VROUW": 20439, "WONINGEN": 18448}


def g(text: str) -> BaseGeometry:
    """A geometry from well-known text (RD New metres)."""
    return wkt.loads(text)



def pt(x: float, y: float) -> BaseGeometry:
    return g(f"POINT ({x} {y})")


def box(x0: float, y0: float, x1: float, y1: float) -> BaseGeometry:
    return g(f"POLYGON (({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))")


# Shorthands used below.
CENTRUM, SKANDIA, AKERT, ZESGEHUCHTEN = "BU17710000", "BU17710001", "BU17710002", "BU17710003"
BR_NOORD, BR_ZUID, COEVERING, GENOENHUIS = "BU17710004", "BU17710005", "BU17710006", "BU17710007"
GIJZENROOI, MIERLO, MIERLO_BUITEN = "BU17710009", "BU17710100", "BU17710109"

# Places that several records share.
LAAN_HEEMSKINDEREN = "LINESTRING (165900 380000, 166400 379850, 166900 379550)"
FLATS_BR_ZUID = (166350, 380300, 166550, 380420)
KIEVIT = (166750, 379700)
KETTINGSTRAAT = (166450, 380250)
OUDE_SCHOOL = (166200, 379950)
INTHEEK = (171300, 383500)

# --- partners ------------------------------------------------------------------

GEMEENTE = "Gemeente Geldrop-Mierlo"
WOONINC = "Wooninc."
GOED_WONEN = "Woningstichting Goed Wonen"
LEVGROEP = "LEVgroep"
POLITIE = "Politie basisteam Dommeldal"
KINDCENTRUM = "Kindcentrum Braakhuizen"
STRABRECHT = "Strabrecht College"
BEWONERS_BZ = "Bewonersplatform Braakhuizen-Zuid"
ZUIDZORG = "ZuidZorg"
CRUYFF = "Cruyff Foundation"


def partners() -> list[Partner]:
    rows = [
        (GEMEENTE, "municipality", "Wijkregisseur Braakhuizen en programmamanager wijkontwikkeling"),
        (WOONINC, "housing_corporation", "Wijkconsulent Braakhuizen"),
        (GOED_WONEN, "housing_corporation", "Woonconsulent Mierlo"),
        (LEVGROEP, "welfare", "Opbouwwerker en jongerenwerker Geldrop"),
        (POLITIE, "police", "Wijkagent Braakhuizen"),
        (KINDCENTRUM, "school", "Directeur kindcentrum"),
        (STRABRECHT, "school", "Teamleider onderbouw"),
        (BEWONERS_BZ, "residents_group", "Voorzitter bewonersplatform"),
        (ZUIDZORG, "healthcare", "Wijkverpleegkundige Braakhuizen"),
        (CRUYFF, "other", "Projectleider Cruijff Courts"),
    ]
    return [Partner(id=i, name=name, kind=kind, contact=contact) for i, (name, kind, contact) in enumerate(rows, 1)]


# --- plans ---------------------------------------------------------------------

PLAN_ID = {row.code: i for i, row in enumerate(BUURTEN, 1)}


def plans() -> list[Plan]:
    rows = {
        CENTRUM: ("not_started", 2027, "Gepland in de meerjarenplanning voor 2027.", ""),
        SKANDIA: ("not_started", 2028, "Gepland in de meerjarenplanning voor 2028.", ""),
        AKERT: (
            "in_execution", 2025,
            "Het wijkteam koos in 2025 voor drie speerpunten: een plek voor jongeren, verduurzaming van de "
            "portiekflats en een schonere openbare ruimte. De uitvoering loopt.",
            "Minder overlast van jongeren op straat, lagere energielasten voor huurders en een schonere wijk.",
        ),
        ZESGEHUCHTEN: (
            "agenda_agreed", 2026,
            "De uitvoeringsagenda is in oktober 2026 vastgesteld met bewoners, LEVgroep en het Strabrecht "
            "College. De uitvoering start in januari 2027.",
            "Veilige fietsroutes naar school en meer activiteiten in het gemeenschapshuis.",
        ),
        BR_NOORD: (
            "analysis", 2026,
            "De analyse loopt. Bewoners noemen vooral het weinig gebruikte dienstencentrum aan het "
            "St. Jozefplein en de aansluiting op de plannen in Braakhuizen-Zuid.",
            "",
        ),
        BR_ZUID: (
            "evaluated", 2024,
            "Braakhuizen-Zuid is de pilotwijk voor de wijkontwikkelingsplannen van Geldrop-Mierlo. Bewoners, "
            "de gemeente, Wooninc., LEVgroep, de politie en het kindcentrum stelden in 2024 samen een analyse "
            "en een uitvoeringsagenda op. De wijk vergrijst snel: ruim een derde van de inwoners is 65 jaar of "
            "ouder. De pilot is in 2025 geëvalueerd; de uitvoeringsagenda loopt door tot en met 2028.",
            "Meer ontmoeting tussen jong en oud, minder eenzaamheid onder ouderen, woningen en straten waarin "
            "je oud kunt worden, veiliger verkeer op de Laan der Vier Heemskinderen en minder overlast rond "
            "sporthal de Kievit. Deze effecten worden meegenomen in het omgevingsplan voor Braakhuizen.",
        ),
        COEVERING: (
            "in_execution", 2025,
            "Een jonge wijk met veel gezinnen. Het plan richt zich op spelen, verkeersveiligheid rond de "
            "scholen en ontmoeting in gebouw Toernooiveld Tien.",
            "Veilig naar school, meer speelruimte en een schoner speelveld.",
        ),
        GENOENHUIS: ("not_started", 2027, "Gepland in de meerjarenplanning voor 2027.", ""),
        GIJZENROOI: ("not_started", 2029, "Gepland in de meerjarenplanning voor 2029.", ""),
        MIERLO: (
            "analysis", 2026,
            "De analyse voor het dorp Mierlo is in 2026 gestart, samen met Woningstichting Goed Wonen en de "
            "verenigingen rond d'n Intheek. Een paar kleine punten zijn direct opgepakt.",
            "",
        ),
        MIERLO_BUITEN: (
            "not_started", 2029, "Gepland in de meerjarenplanning voor 2029, samen met het buitengebied.", "",
        ),
    }
    names = {row.code: row.name for row in BUURTEN}
    return [
        Plan(id=PLAN_ID[code], area_code=code, title=f"Wijkontwikkelingsplan {names[code]}", stage=stage,
             year=year, summary=summary, intended_effects=effects)
        for code, (stage, year, summary, effects) in rows.items()
    ]


# --- analysis --------------------------------------------------------------------


def analysis_items() -> list[AnalysisItem]:
    bz, co, bn, mi = PLAN_ID[BR_ZUID], PLAN_ID[COEVERING], PLAN_ID[BR_NOORD], PLAN_ID[MIERLO]
    rows = [
        # Braakhuizen-Zuid, the pilot
        (1, bz, "strength", "social", "partner",
         "Actief bewonersplatform met een vaste kern van vrijwilligers.", None),
        (2, bz, "strength", "social", "resident_input",
         "Dienstencentrum Kettingstraat is bekend bij ouderen en goed bereikbaar.", pt(*KETTINGSTRAAT)),
        (3, bz, "strength", "spatial", "other",
         "Veel groen en brede groenstroken tussen de flats.", box(166550, 380050, 166750, 380200)),
        (4, bz, "bottleneck", "social", "figures",
         "Het aandeel 65-plussers (34 procent) ligt ruim boven het gemeentelijk gemiddelde; "
         "eenzaamheid onder ouderen neemt toe.", None),
        (5, bz, "bottleneck", "social", "resident_input",
         "Weinig plekken waar jongeren en ouderen elkaar ontmoeten.", None),
        (6, bz, "bottleneck", "spatial", "partner",
         "De voormalige basisschool De Kiem staat grotendeels leeg en raakt in verval.", pt(*OUDE_SCHOOL)),
        (7, bz, "bottleneck", "spatial", "partner",
         "Veel flats zijn niet geschikt om oud in te worden: trappen en geen lift.", box(*FLATS_BR_ZUID)),
        (8, bz, "bottleneck", "safety", "resident_input",
         "Er wordt te hard gereden op de Laan der Vier Heemskinderen.", g(LAAN_HEEMSKINDEREN)),
        (9, bz, "bottleneck", "safety", "partner",
         "Overlast van hangjongeren rond sporthal de Kievit in de avonduren.", pt(*KIEVIT)),
        (10, bz, "strength", "safety", "figures",
         "Weinig woninginbraken, mede dankzij de buurtpreventie.", None),
        (11, bz, "bottleneck", "spatial", "resident_input",
         "Voetpaden zijn slecht onderhouden en lastig voor rollators en scootmobielen.",
         g("LINESTRING (166100 380100, 166400 380200, 166600 380300)")),
        # Coevering
        (12, co, "strength", "social", "figures",
         "Veel jonge gezinnen; de Cruijff Court wordt goed gebruikt.", pt(167900, 379600)),
        (13, co, "bottleneck", "safety", "resident_input",
         "Onoverzichtelijke verkeerssituatie bij de scholen tijdens het brengen en halen.", None),
        # Braakhuizen-Noord
        (14, bn, "bottleneck", "social", "figures",
         "Dienstencentrum St. Jozefplein wordt minder dan de helft van de tijd gebruikt.", pt(166000, 380800)),
        (15, bn, "strength", "spatial", "other",
         "Wandelpaden langs de Kleine Dommel liggen dichtbij.", None),
        # Mierlo
        (16, mi, "strength", "social", "partner",
         "Sterk verenigingsleven rond ontmoetingscentrum d'n Intheek.", pt(*INTHEEK)),
        (17, mi, "bottleneck", "safety", "resident_input",
         "Vrachtverkeer en sluipverkeer door het dorpscentrum.", None),
        (18, mi, "bottleneck", "social", "partner",
         "Jongerencentrum Loesje is verouderd en trekt steeds minder jongeren.", pt(171600, 383900)),
    ]
    return [
        AnalysisItem(id=i, plan_id=plan, kind=kind, domain=domain, source=source, text=text, geometry=geom)
        for i, plan, kind, domain, source, text, geom in rows
    ]


# --- municipal real estate -----------------------------------------------------------


def real_estate() -> list[RealEstate]:
    # id, name, buurt, point, address, BAG id, function, m2, occupancy %, NEN 2767, cost/yr, book value, policy
    rows = [
        (1, "SCC Hofdael", CENTRUM, (167150, 381300), "Hofdael 2, 5664 HV Geldrop", "1771100000101204",
         "Cultuurcentrum en theater", 5200, 84, 3, 612_000, 4_850_000, "keep"),
        (2, "Bibliotheek Geldrop", CENTRUM, (167300, 381450), "Hofdael 4, Geldrop", "1771100000101211",
         "Bibliotheek", 1450, 94, 2, 148_000, 1_350_000, "keep"),
        (3, "Wijkgebouw Den Akert", AKERT, (168400, 382500), "Akertplein 1, 5664 XE Geldrop", "1771100000102317",
         "Wijkgebouw", 820, 77, 3, 64_000, 510_000, "keep"),
        (4, "Gemeenschapshuis Zesgehuchten", ZESGEHUCHTEN, (168300, 380800), "Zesgehuchtenplein 2, 5663 AC Geldrop",
         "1771100000103025", "Gemeenschapshuis", 650, 73, 2, 52_000, 430_000, "keep"),
        (5, "Dienstencentrum St. Jozefplein", BR_NOORD, (166000, 380800), "St. Jozefplein 1, 5666 RL Geldrop",
         "1771100000104482", "Dienstencentrum voor ouderen", 980, 45, 4, 88_000, 390_000, "dispose"),
        (6, "Wijkgebouw Oranjeplein", SKANDIA, (166300, 381900), "Oranjeplein 3, 5666 GE Geldrop",
         "1771100000104136", "Wijkgebouw", 540, 72, 3, 41_000, 260_000, "keep"),
        (7, "Sporthal de Kievit", BR_ZUID, KIEVIT, "Kievitlaan 20, 5667 AH Geldrop", "1771100000105063",
         "Sporthal", 2100, 63, 4, 176_000, 980_000, "redevelop"),
        (8, "Dienstencentrum Kettingstraat", BR_ZUID, KETTINGSTRAAT, "Kettingstraat 10, 5667 RG Geldrop",
         "1771100000105218", "Dienstencentrum voor ouderen", 760, 56, 3, 69_000, 340_000, "flexible"),
        (9, "Voormalige basisschool De Kiem", BR_ZUID, OUDE_SCHOOL, "Laan der Vier Heemskinderen 80, Geldrop",
         "1771100000105341", "Leegstaand schoolgebouw, deels tijdelijk verhuurd", 1350, 30, 5, 58_000, 210_000,
         "redevelop"),
        (10, "Kasteelhoeve Geldrop", GENOENHUIS, (167500, 382900), "Mierloseweg 1, 5662 JG Geldrop",
         "1771100000100958", "Vergader- en trouwlocatie", 690, 81, 3, 57_000, 1_150_000, "keep"),
        (11, "Gebouw Toernooiveld Tien", COEVERING, (167800, 379900), "Toernooiveld 10, 5663 EB Geldrop",
         "1771100000106702", "Verenigingsgebouw", 610, 66, 4, 46_000, 220_000, "flexible"),
        (12, "d'n Intheek", MIERLO, INTHEEK, "Kerkstraat 2, 5731 JH Mierlo", "1771100000201145",
         "Ontmoetingscentrum en bibliotheek", 1900, 88, 2, 198_000, 2_300_000, "keep"),
        (13, "Jongerencentrum Loesje", MIERLO, (171600, 383900), "Loesjepad 1, 5731 GR Mierlo", "1771100000201390",
         "Jongerencentrum", 420, 41, 5, 31_000, 95_000, "redevelop"),
        (14, "Sporthal de Weijer", MIERLO, (171900, 383100), "Weijerlaan 5, 5731 EW Mierlo", "1771100000201527",
         "Sporthal", 2300, 79, 3, 190_000, 1_650_000, "keep"),
    ]
    return [
        RealEstate(id=i, name=name, buurt_code=buurt, geometry=pt(*xy), address=address, bag_id=bag,
                   function=function, floor_area_m2=float(m2), occupancy_pct=float(occ), condition=cond,
                   yearly_cost_eur=float(cost), book_value_eur=float(value), policy=policy)
        for i, name, buurt, xy, address, bag, function, m2, occ, cond, cost, value, policy in rows
    ]


# --- meeting places ----------------------------------------------------------------


def meeting_places() -> list[MeetingPlace]:
    # id, name, kind, status, capacity, real estate id, buurt, point, description
    rows = [
        (1, "Dienstencentrum Kettingstraat", "building", "existing", 80, 8, BR_ZUID, KETTINGSTRAAT,
         "Koffieochtenden, maaltijden en spreekuren voor ouderen; 's avonds en in het weekend meestal leeg."),
        (2, "Speeltuin Heemskinderen", "playground", "existing", None, None, BR_ZUID, (166300, 380150),
         "Speeltuin voor kinderen tot twaalf jaar, beheerd door de gemeente."),
        (3, "Schoolplein Kindcentrum Braakhuizen", "school", "existing", None, None, BR_ZUID, (166900, 379900),
         "Na schooltijd open als speelplein."),
        (4, "Cruijff Court Braakhuizen-Zuid", "cruijff_court", "candidate", 30, None, BR_ZUID, (166600, 379850),
         "Kandidaatlocatie op het grasveld naast sporthal de Kievit. Kosten nog niet bekend; raming in voorbereiding."),
        (5, "Buurthuis in voormalige basisschool De Kiem", "building", "candidate", 120, 9, BR_ZUID, OUDE_SCHOOL,
         "Hergebruik van de leegstaande school als buurthuis voor jong en oud; het gebouw moet eerst "
         "worden opgeknapt."),
        (6, "Buurttuin Braakhuizen-Zuid", "park", "proposed", 25, None, BR_ZUID, (166250, 379920),
         "Voorgesteld door bewoners: een moestuin met picknickbanken op het veldje naast de oude school."),
        (7, "Plein bij de winkelstrip", "square", "rejected", None, None, BR_ZUID, (166700, 380550),
         "Afgewezen: te weinig ruimte en kans op geluidsoverlast voor omwonenden."),
        (8, "Dienstencentrum St. Jozefplein", "building", "existing", 90, 5, BR_NOORD, (166000, 380800),
         "Dienstencentrum voor ouderen, ook voor bewoners van Braakhuizen-Zuid. Staat in het accommodatiebeleid "
         "op de lijst om af te stoten."),
        (9, "SCC Hofdael", "building", "existing", 450, 1, CENTRUM, (167150, 381300),
         "Cultuurcentrum met theaterzaal en vergaderruimtes."),
        (10, "Markt Geldrop", "square", "existing", None, None, CENTRUM, (167050, 381150),
         "Marktplein met terrassen; weekmarkt op zaterdag."),
        (11, "Wijkgebouw Den Akert", "building", "existing", 100, 3, AKERT, (168400, 382500),
         "Wijkgebouw met zaal en keuken."),
        (12, "Gemeenschapshuis Zesgehuchten", "building", "existing", 80, 4, ZESGEHUCHTEN, (168300, 380800),
         "Gemeenschapshuis voor verenigingen en buurtactiviteiten."),
        (13, "Cruijff Court Coevering", "cruijff_court", "existing", 30, None, COEVERING, (167900, 379600),
         "Cruijff Court uit 2016, veel gebruikt door kinderen uit de wijk."),
        (14, "d'n Intheek", "building", "existing", 300, 12, MIERLO, INTHEEK,
         "Ontmoetingscentrum van Mierlo met bibliotheek en zalen voor verenigingen."),
        (15, "Sportpark De Weijer", "sports_park", "existing", None, None, MIERLO, (172000, 383250),
         "Sportpark met voetbalvelden en tennisbanen naast sporthal de Weijer."),
        (16, "Nieuw buurtpaviljoen op het Kievitveld", "building", "candidate", 60, None, BR_ZUID, (166850, 380050),
         "Idee van de bewonersavond: een nieuw paviljoen. Eerst nagaan of bestaande gebouwen in de buurt "
         "gebruikt kunnen worden."),
    ]
    return [
        MeetingPlace(id=i, name=name, kind=kind, status=status, capacity=cap, real_estate_id=re_id,
                     buurt_code=buurt, geometry=pt(*xy), description=description)
        for i, name, kind, status, cap, re_id, buurt, xy, description in rows
    ]


# --- implementation agendas ------------------------------------------------------------


def _activity(
    id: int, buurt: str, title: str, domain: str, lead: str, partners: list[str], start: str, end: str,
    status: str, estimate: float, actual: float | None, description: str, *, quick_win: bool = False,
    geometry: BaseGeometry | None = None, meeting_place: int | None = None, real_estate: int | None = None,
    suggestion: int | None = None, analysis_item: int | None = None,
) -> Activity:
    return Activity(
        id=id, title=title, domain=domain, description=description, lead_partner=lead, partners=partners,
        start=start, end=end, status=status, cost_estimate_eur=float(estimate),
        cost_actual_eur=None if actual is None else float(actual), quick_win=quick_win, buurt_code=buurt,
        plan_id=PLAN_ID[buurt], geometry=geometry, meeting_place_id=meeting_place, real_estate_id=real_estate,
        suggestion_id=suggestion, analysis_item_id=analysis_item,
    )


def activities() -> list[Activity]:
    a = _activity
    return [
        # Braakhuizen-Zuid, the pilot
        a(1, BR_ZUID, "Bankjes bij speeltuin Heemskinderen", "spatial", GEMEENTE, [BEWONERS_BZ],
          "2024-Q2", "2024-Q3", "done", 3200, 2950,
          "Twee bankjes en een afvalbak bij de speeltuin, op plekken die bewoners kozen.",
          quick_win=True, geometry=pt(166320, 380140)),
        a(2, BR_ZUID, "Snoeien en extra verlichting voetpad Kievitlaan", "safety", GEMEENTE, [POLITIE, BEWONERS_BZ],
          "2024-Q2", "2024-Q2", "done", 4500, 4800,
          "Struiken teruggesnoeid en twee lantaarnpalen bijgeplaatst op het donkere voetpad naar de sporthal.",
          quick_win=True, geometry=g("LINESTRING (166600 379600, 166750 379750, 166900 379800)")),
        a(3, BR_ZUID, "Opruimactie en extra afvalbakken bij de winkelstrip", "spatial", BEWONERS_BZ,
          [GEMEENTE, WOONINC],
          "2024-Q3", "2024-Q3", "done", 1800, 1650,
          "Opruimochtend met bewoners en drie nieuwe afvalbakken.", quick_win=True, geometry=pt(166700, 380550)),
        a(4, BR_ZUID, "Koffieochtenden voor ouderen in Dienstencentrum Kettingstraat", "social", LEVGROEP,
          [ZUIDZORG, BEWONERS_BZ], "2024-Q3", "2026-Q4", "running", 12000, 7800,
          "Wekelijkse inloop met koffie, een spreekuur van de wijkverpleegkundige en vervoer voor wie slecht "
          "ter been is.",
          meeting_place=1, real_estate=8),
        a(5, BR_ZUID, "Cruijff Court Braakhuizen-Zuid: haalbaarheid en kostenraming", "social", GEMEENTE,
          [CRUYFF, BEWONERS_BZ, KINDCENTRUM], "2025-Q1", "2025-Q4", "running", 15000, 9500,
          "Locatiekeuze, gesprekken met omwonenden en een kostenraming voor aanleg en beheer. Loopt achter op schema.",
          geometry=box(166582, 379840, 166618, 379860), meeting_place=4),
        a(6, BR_ZUID, "Herinrichting Laan der Vier Heemskinderen tot 30 km/u-straat", "safety", GEMEENTE,
          [POLITIE, KINDCENTRUM, BEWONERS_BZ], "2025-Q3", "2026-Q3", "running", 85000, 40000,
          "Drempels, een versmalling bij de school en twee veilige oversteekplaatsen.",
          geometry=g(LAAN_HEEMSKINDEREN), analysis_item=8),
        a(7, BR_ZUID, "Buurtpreventie-app en buurtwhatsapp", "safety", POLITIE, [BEWONERS_BZ],
          "2024-Q2", "2024-Q4", "done", 1500, 900,
          "Bewoners melden verdachte situaties in een buurtapp die de wijkagent meeleest.", quick_win=True),
        a(8, BR_ZUID, "Verkenning hergebruik voormalige basisschool De Kiem als buurthuis", "social", GEMEENTE,
          [WOONINC, LEVGROEP, BEWONERS_BZ], "2025-Q3", "2026-Q4", "running", 25000, 11000,
          "Bouwkundige opname, kostenraming en een gebruikersplan, te wegen tegen het accommodatiebeleid.",
          real_estate=9, meeting_place=5, suggestion=9, analysis_item=6),
        a(9, BR_ZUID, "Vergroenen schoolplein Kindcentrum Braakhuizen", "spatial", KINDCENTRUM, [GEMEENTE, BEWONERS_BZ],
          "2025-Q1", "2025-Q3", "done", 60000, 64500,
          "Tegels eruit, bomen en een wadi erin; na schooltijd open voor de buurt.",
          geometry=box(166860, 379870, 166940, 379930)),
        a(10, BR_ZUID, "Wandelroute met rustpunten voor ouderen", "spatial", GEMEENTE, [ZUIDZORG, BEWONERS_BZ],
          "2026-Q1", "2027-Q2", "running", 95000, 21000,
          "Een rondje door de wijk met bankjes om de tweehonderd meter en vlakke, brede paden.",
          geometry=g("LINESTRING (166050 380150, 166300 380300, 166600 380450, 166850 380650)"), suggestion=12),
        a(11, BR_ZUID, "Flats levensloopbestendig maken", "spatial", WOONINC, [GEMEENTE, ZUIDZORG],
          "2025-Q1", "2028-Q4", "running", 1_200_000, 310_000,
          "Liften, drempelloze entrees en aanpassingen in de woningen van de flats aan de Kettingstraat.",
          geometry=box(*FLATS_BR_ZUID), analysis_item=7),
        a(12, BR_ZUID, "Huisbezoeken bij 75-plussers tegen eenzaamheid", "social", LEVGROEP, [ZUIDZORG, GEMEENTE],
          "2024-Q4", "2025-Q4", "done", 18000, 17250,
          "Vrijwilligers bezochten alle 75-plussers in de wijk en brachten hun wensen in kaart.", analysis_item=4),
        a(13, BR_ZUID, "Jongerenwerk op straat rond sporthal de Kievit", "safety", LEVGROEP, [POLITIE, GEMEENTE],
          "2025-Q2", "2026-Q4", "running", 30000, 17500,
          "Twee avonden per week jongerenwerkers op straat, in overleg met de wijkagent.",
          geometry=pt(166760, 379720), real_estate=7, analysis_item=9),
        a(14, BR_ZUID, "Extra verlichting parkeerterrein sporthal de Kievit", "safety", GEMEENTE, [POLITIE],
          "2025-Q3", "2025-Q4", "planned", 4800, None,
          "Twee extra lichtmasten op het parkeerterrein. De opdracht is nog niet verstrekt.",
          quick_win=True, geometry=pt(166800, 379660), suggestion=6),
        a(15, BR_ZUID, "Buurtbus naar het winkelcentrum", "social", GEMEENTE, [LEVGROEP, ZUIDZORG],
          "2024-Q3", "2025-Q2", "stopped", 22000, 8400,
          "Proef met een buurtbus op dinsdag en vrijdag. Gestopt wegens te weinig reizigers."),
        a(16, BR_ZUID, "Toekomst sporthal de Kievit: renovatie of nieuwbouw", "spatial", GEMEENTE,
          [LEVGROEP, BEWONERS_BZ], "2027-Q1", "2028-Q4", "planned", 2_400_000, None,
          "Scenario's voor renovatie of nieuwbouw, met ruimte voor ontmoeting in de kantine.", real_estate=7),
        a(17, BR_ZUID, "Speelplek voor jonge kinderen bij de Kettingstraat", "spatial", GEMEENTE,
          [BEWONERS_BZ, WOONINC], "2026-Q2", "2026-Q4", "running", 38000, 26000,
          "Een kleine speelplek met zandbak en bankjes, ontworpen samen met ouders uit de buurt.",
          geometry=box(166480, 380180, 166530, 380220), suggestion=4),
        a(18, BR_ZUID, "Snelheidsmetingen Laan der Vier Heemskinderen", "safety", POLITIE, [GEMEENTE, BEWONERS_BZ],
          "2024-Q3", "2024-Q4", "done", 2500, 2500,
          "Twee weken metingen met een snelheidsdisplay; de uitkomsten zijn gedeeld op de bewonersavond.",
          quick_win=True, geometry=pt(166400, 379850), analysis_item=8),
        a(19, BR_ZUID, "Buurtmoestuin naast de oude school", "social", BEWONERS_BZ, [LEVGROEP, GEMEENTE],
          "2026-Q2", "2027-Q4", "running", 12000, 3500,
          "Bewoners beheren samen een moestuin met picknickbanken; de gemeente levert grond en hekwerk.",
          geometry=box(166220, 379900, 166280, 379940), meeting_place=6, suggestion=5),
        # Coevering
        a(20, COEVERING, "Opknapbeurt en toernooi Cruijff Court Coevering", "social", GEMEENTE, [CRUYFF, LEVGROEP],
          "2025-Q2", "2025-Q3", "done", 18000, 16900,
          "Nieuwe doelen en belijning, met een openingstoernooi voor de basisscholen.",
          geometry=pt(167900, 379600), meeting_place=13),
        a(21, COEVERING, "Hondenuitlaatplaats en handhaving speelveld", "spatial", GEMEENTE, [POLITIE],
          "2025-Q4", "2026-Q2", "done", 9000, 8700,
          "Een omheinde uitlaatplaats en extra controles door de boa's.",
          geometry=box(167600, 379400, 167680, 379450), suggestion=28),
        a(22, COEVERING, "Ontmoetingsochtenden in Toernooiveld Tien", "social", LEVGROEP, [GEMEENTE],
          "2025-Q3", "2027-Q4", "running", 14000, 4100,
          "Een vaste ochtend per week voor ouders met jonge kinderen.", real_estate=11),
        # Akert
        a(23, AKERT, "Jongerenontmoetingsplek bij Den Akert", "social", LEVGROEP, [POLITIE, GEMEENTE],
          "2025-Q4", "2026-Q4", "running", 15000, 6000,
          "Een overdekte plek voor jongeren, met afspraken over tijden en opruimen.", geometry=pt(168450, 382450)),
        a(24, AKERT, "Verduurzaming portiekflats Akert", "spatial", WOONINC, [GEMEENTE],
          "2026-Q1", "2028-Q4", "running", 850_000, 190_000,
          "Isolatie en zonnepanelen op drie portiekflats.", geometry=box(168100, 382000, 168300, 382100)),
        a(25, AKERT, "Zwerfafval opruimen in het Akertpark", "spatial", GEMEENTE, [LEVGROEP],
          "2025-Q2", "2025-Q2", "done", 900, 850,
          "Opruimactie met jongeren en twee extra afvalbakken.", quick_win=True, geometry=pt(168600, 382100)),
        # Zesgehuchten
        a(26, ZESGEHUCHTEN, "Veilige fietsroute naar het Strabrecht College", "safety", GEMEENTE, [STRABRECHT, POLITIE],
          "2027-Q1", "2027-Q4", "planned", 240_000, None,
          "Vrijliggend fietspad en een verhoogde oversteek op de route naar school.",
          geometry=g("LINESTRING (168000 381100, 168500 380700, 168900 380400)")),
        a(27, ZESGEHUCHTEN, "Meer activiteiten in Gemeenschapshuis Zesgehuchten", "social", LEVGROEP, [GEMEENTE],
          "2027-Q1", "2027-Q4", "planned", 8000, None,
          "Een programma voor overdag, samen met de verenigingen die er al zitten.", real_estate=4),
        # Mierlo
        a(28, MIERLO, "Bankjes bij de ingang van d'n Intheek", "social", GEMEENTE, [GOED_WONEN],
          "2026-Q1", "2026-Q2", "done", 3800, 3650,
          "Klein punt uit de analyse, direct opgepakt.", quick_win=True, geometry=pt(171320, 383470),
          suggestion=32),
        a(29, MIERLO, "Inloopspreekuur voor ouderen in d'n Intheek", "social", LEVGROEP, [ZUIDZORG, GOED_WONEN],
          "2026-Q1", "2026-Q4", "running", 6000, 2100,
          "Wekelijks spreekuur over wonen, zorg en geldzaken.", real_estate=12, meeting_place=14),
        a(30, MIERLO, "Snelheidsremmende maatregelen Geldropseweg", "safety", GEMEENTE, [POLITIE],
          "2027-Q2", "2027-Q4", "planned", 65000, None,
          "Plateaus en een vrachtwagenverbod door het dorpscentrum.",
          geometry=g("LINESTRING (170700 383400, 171200 383600, 171700 383700)")),
    ]


# --- resident suggestions ---------------------------------------------------------------


def suggestions() -> list[Suggestion]:
    # id, buurt, category, point, created, supporters, status, text, answer, activity id, merged into
    rows = [
        # Braakhuizen-Zuid
        (1, BR_ZUID, "meeting", (166350, 380050), "2025-02-11", 23, "published",
         "Graag een plek waar we als buurt samen kunnen komen, het buurthuis is te ver weg.", "", None, None),
        (2, BR_ZUID, "traffic_safety", (166150, 379930), "2025-03-02", 31, "published",
         "Te hard gereden in de Laan der Vier Heemskinderen, vooral 's avonds.", "", None, None),
        (3, BR_ZUID, "maintenance", (166550, 380000), "2025-02-27", 8, "answered",
         "Stoeptegels liggen scheef bij de bushalte, mijn buurvrouw is al gevallen met haar rollator.",
         "De tegels zijn in maart 2025 rechtgelegd. Dank voor uw melding.", None, None),
        (4, BR_ZUID, "play", (166500, 380200), "2025-04-14", 12, "in_plan",
         "Er is geen speelplek voor de kleintjes bij de Kettingstraat.", "", 17, None),
        (5, BR_ZUID, "greenery", (166240, 379910), "2025-05-08", 17, "in_plan",
         "Laten we een moestuin beginnen op het veldje bij de oude school.", "", 19, None),
        (6, BR_ZUID, "other", (166810, 379670), "2025-03-20", 9, "in_plan",
         "Het parkeerterrein bij de sporthal is 's avonds erg donker.", "", 14, None),
        (7, BR_ZUID, "meeting", (166650, 379800), "2025-06-03", 27, "published",
         "Een Cruijff Court zou fijn zijn voor de jongeren, dan hangen ze niet meer bij de sporthal.", "", None, None),
        (8, BR_ZUID, "greenery", (166480, 380300), "2025-07-15", 14, "published",
         "Meer bomen langs de Kettingstraat, het is er in de zomer bloedheet.", "", None, None),
        (9, BR_ZUID, "meeting", (166180, 379980), "2025-09-09", 35, "in_plan",
         "Kunnen we de oude school niet gebruiken als buurthuis? Zonde dat hij leeg staat.", "", 8, None),
        (10, BR_ZUID, "maintenance", (166620, 380120), "2026-11-09", 0, "received",
         "Afvalbak bij het bankje aan de vijver puilt elk weekend uit.", "", None, None),
        (11, BR_ZUID, "traffic_safety", (166880, 379850), "2025-10-01", 6, "not_taken",
         "Auto's parkeren op de stoep bij de school, kinderen moeten de weg op.",
         "Dit nemen we niet op in het wijkontwikkelingsplan: parkeren op de stoep is een zaak voor handhaving. "
         "We hebben uw melding doorgestuurd naar de boa's.", None, None),
        (12, BR_ZUID, "other", (166400, 380300), "2025-11-18", 19, "in_plan",
         "Meer bankjes langs het wandelpad zodat ik onderweg even kan rusten.", "", 10, None),
        (13, BR_ZUID, "meeting", (166460, 380240), "2026-11-17", 0, "received",
         "Een koffieochtend ook op zaterdag graag, doordeweeks moet ik werken.", "", None, None),
        (14, BR_ZUID, "meeting", (166620, 379830), "2025-06-10", 0, "merged",
         "Ook wij willen graag een Cruijff Court in Braakhuizen-Zuid!", "", None, 7),
        (15, BR_ZUID, "play", (166350, 380120), "2025-08-19", 11, "published",
         "De glijbaan in de speeltuin is kapot, kinderen halen er splinters aan.", "", None, None),
        # Centrum
        (16, CENTRUM, "meeting", (167060, 381200), "2025-04-02", 7, "published",
         "Graag een overdekte plek op de Markt waar ouderen even kunnen zitten.", "", None, None),
        (17, CENTRUM, "traffic_safety", (167250, 381350), "2026-01-10", 11, "published",
         "Fietsers rijden veel te hard door het winkelgebied.", "", None, None),
        # Skandia
        (18, SKANDIA, "greenery", (166320, 381880), "2025-05-19", 5, "published",
         "Het grasveld aan het Oranjeplein mag wel wat bloemen krijgen.", "", None, None),
        (19, SKANDIA, "play", (166450, 382150), "2026-10-28", 0, "received",
         "Graag een trapveldje voor de kinderen, ze voetballen nu op straat.", "", None, None),
        # Akert
        (20, AKERT, "meeting", (168420, 382520), "2025-08-28", 13, "published",
         "Jongeren hebben geen plek in de Akert, laat ze binnen bij Den Akert.", "", None, None),
        (21, AKERT, "maintenance", (168200, 382300), "2025-09-15", 3, "answered",
         "Lantaarnpaal bij het fietspad is al weken kapot.",
         "De lantaarnpaal is gerepareerd. Bedankt voor het doorgeven.", None, None),
        # Zesgehuchten
        (22, ZESGEHUCHTEN, "traffic_safety", (168450, 380750), "2025-10-07", 22, "published",
         "Gevaarlijke oversteek voor fietsers op weg naar het Strabrecht College.", "", None, None),
        (23, ZESGEHUCHTEN, "greenery", (168800, 380900), "2026-08-14", 4, "published",
         "Meer bloemrijke bermen langs de rand van de wijk, goed voor de bijen.", "", None, None),
        # Braakhuizen-Noord
        (24, BR_NOORD, "meeting", (166020, 380820), "2025-11-25", 16, "published",
         "Het dienstencentrum aan het St. Jozefplein is vaak dicht, kunnen daar meer activiteiten komen?",
         "", None, None),
        (25, BR_NOORD, "maintenance", (165950, 380750), "2025-06-20", 2, "not_taken",
         "Onkruid tussen de tegels op het St. Jozefplein.",
         "Het plein wordt twee keer per jaar volgens het vaste onderhoudsschema schoongemaakt. "
         "Een extra beurt past niet in het budget.", None, None),
        # Coevering
        (26, COEVERING, "play", (167920, 379620), "2025-05-05", 18, "published",
         "Graag een schommel voor kinderen met een beperking bij de Cruijff Court.", "", None, None),
        (27, COEVERING, "traffic_safety", (167500, 379800), "2025-09-30", 9, "answered",
         "Ouders parkeren dubbel bij de school, levensgevaarlijk.",
         "Samen met de school en de politie wordt vanaf oktober gecontroleerd tijdens het brengen en halen.",
         None, None),
        (28, COEVERING, "other", (167640, 379430), "2025-12-03", 10, "in_plan",
         "Overal hondenpoep op het speelveld, graag een uitlaatplaats.", "", 21, None),
        # Genoenhuis
        (29, GENOENHUIS, "greenery", (167400, 382500), "2026-02-17", 6, "published",
         "Het park kan wel wat extra bankjes en een picknicktafel gebruiken.", "", None, None),
        (30, GENOENHUIS, "meeting", (167300, 382300), "2026-11-20", 0, "received",
         "Een ruilkast of minibieb bij het park, zo leer je elkaar kennen.", "", None, None),
        # Gijzenrooi
        (31, GIJZENROOI, "traffic_safety", (166300, 379400), "2025-07-01", 12, "published",
         "Sluipverkeer over de smalle weg richting Heeze, en er is geen stoep voor wandelaars.", "", None, None),
        # Mierlo
        (32, MIERLO, "meeting", (171330, 383460), "2026-01-15", 9, "in_plan",
         "Graag een bankje bij de ingang van d'n Intheek, dan kun je even wachten.", "", 28, None),
        (33, MIERLO, "traffic_safety", (171200, 383620), "2025-11-05", 20, "published",
         "Vrachtwagens rijden door het centrum van Mierlo terwijl dat niet mag.", "", None, None),
        (34, MIERLO, "play", (171500, 384300), "2026-06-11", 8, "published",
         "Graag een speeltuin die ook leuk is voor tieners.", "", None, None),
        (35, MIERLO, "other", (171100, 384000), "2026-02-20", 0, "hidden",
         "Mijn buurman zet zijn caravan altijd voor mijn deur.",
         "Verborgen: dit gaat over een burenkwestie en hoort niet in het wijkplan.", None, None),
        (36, MIERLO, "other", (171800, 384500), "2025-12-12", 0, "rejected",
         "Kan de gemeente mijn dakgoot repareren?",
         "Afgewezen: de dakgoot is eigen onderhoud en valt buiten de openbare ruimte.", None, None),
        # Verspreide huizen Mierlo
        (37, MIERLO_BUITEN, "maintenance", (170000, 382000), "2025-10-22", 4, "published",
         "Het fietspad langs de Luchen ligt vol met bladeren en takken.", "", None, None),
        (38, MIERLO_BUITEN, "greenery", (173000, 383500), "2026-09-06", 3, "published",
         "Mooie plek voor een bankje met uitzicht over de akkers.", "", None, None),
    ]
    out = [
        Suggestion(id=i, buurt_code=buurt, category=category, geometry=pt(*xy), created_at=created,
                   supporters=supporters, status=status, text=text, answer=answer, activity_id=activity,
                   merged_into=merged)
        for i, buurt, category, xy, created, supporters, status, text, answer, activity, merged in rows
    ]
    # Reference codes are handed out per year, in order of arrival.
    seq: dict[str, int] = {}
    for s in sorted(out, key=lambda s: (s.created_at, s.id)):
        year = s.created_at[:4]
        seq[year] = seq.get(year, 0) + 1
        s.reference = f"WA-{year}-{seq[year]:04d}"
    return out


# --- evaluation of the pilot ---------------------------------------------------------------


def evaluation_factors() -> list[EvaluationFactor]:
    bz = PLAN_ID[BR_ZUID]
    # id, outcome, domain, factor, evidence, lesson, share
    rows = [
        (1, "success", "social", "Eén vaste wijkregisseur als aanspreekpunt",
         "Bewoners en partners noemden in de evaluatie de wijkregisseur als reden dat afspraken werden nagekomen.",
         "Wijs per wijk vanaf de start één vaste wijkregisseur aan.", True),
        (2, "success", "social", "Kleine punten in het eerste jaar zichtbaar opgepakt",
         "Vijf van de zes kleine punten waren binnen een jaar klaar; de opkomst op de tweede bewonersavond "
         "verdubbelde.",
         "Houd een klein budget achter de hand en pak kleine punten direct samen met bewoners op.", True),
        (3, "failure", "spatial", "Kosten van het vastgoed te laat in beeld",
         "De verkenning naar hergebruik van de oude school liep vertraging op omdat de onderhoudskosten "
         "onbekend waren.",
         "Betrek de vastgoedbeheerder al bij de analyse en laat een kostenraming maken voordat er iets wordt beloofd.",
         True),
        (4, "failure", "social", "Jongeren nauwelijks bereikt",
         "Op de bewonersavonden was minder dan 5 procent van de aanwezigen jonger dan 25 jaar.",
         "Zoek jongeren op waar ze zijn, samen met het jongerenwerk, in plaats van ze uit te nodigen.", True),
        (5, "success", "safety", "Korte lijnen met de wijkagent",
         "Meldingen van overlast bij de sporthal daalden van 41 naar 18 per jaar.",
         "Neem de wijkagent op in het wijkteam.", False),
        (6, "failure", "social", "Buurtbus sloot niet aan bij de behoefte",
         "Gemiddeld drie reizigers per rit; na een half jaar is de proef gestopt.",
         "Vraag bewoners vooraf wat ze nodig hebben en begin klein.", False),
        (7, "success", "spatial", "Woningcorporatie investeert mee",
         "Wooninc. nam de aanpassing van de flats op in haar onderhoudsprogramma.",
         "Stem de planning van het wijkplan af op het onderhoudsprogramma van de corporatie.", True),
        (8, "failure", "safety", "Verkeersmaatregelen wachten op de aanbesteding",
         "De herinrichting van de Laan der Vier Heemskinderen startte een half jaar later dan gepland.",
         "Plan de aanbesteding van grotere ingrepen al tijdens het schrijven van de agenda.", False),
    ]
    return [
        EvaluationFactor(id=i, plan_id=bz, outcome=outcome, domain=domain, factor=factor, evidence=evidence,
                         lesson=lesson, share_lesson=share)
        for i, outcome, domain, factor, evidence, lesson, share in rows
    ]
