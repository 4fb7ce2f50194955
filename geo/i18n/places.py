"""Texts of the real-estate and meeting-place views, the policy rules and costs."""

TEXTS: dict[str, tuple[str, str]] = {
    # navigation
    "nav.real_estate": ("Vastgoed", "Real estate"),
    "nav.meeting_places": ("Ontmoetingsplaatsen", "Meeting places"),
    # verdicts
    "v.aligned": ("Past in beleid", "Aligned"),
    "v.attention": ("Aandacht nodig", "Needs attention"),
    "v.conflict": ("Strijdig met beleid", "Conflict"),
    # rule names
    "places.rule.reuse_first": ("Eerst hergebruiken", "Reuse first"),
    "places.rule.policy_category": ("Beleidscategorie gebouw", "Building's policy category"),
    "places.rule.condition": ("Conditie gebouw", "Building condition"),
    "places.rule.raise_coverage": ("Dekking verhogen", "Raise coverage"),
    "places.rule.cost_cap": ("Kostenplafond", "Cost cap"),
    # rule findings
    "places.rule.reuse_first.not_building": (
        "geen nieuw gebouw: hergebruikregel is niet van toepassing",
        "not a new building: the reuse rule does not apply"),
    "places.rule.reuse_first.reuses": (
        "hergebruikt gemeentelijk gebouw {name}", "reuses municipal building {name}"),
    "places.rule.reuse_first.none": (
        "geen gemeentelijk gebouw onder {pct} % bezet binnen {distance} m",
        "no municipal building below {pct} % occupancy within {distance} m"),
    "places.rule.reuse_first.found": (
        "gebouw {name}, {distance} m, {pct} % bezet: eerst hergebruiken",
        "building {name}, {distance} m away, {pct} % occupied: reuse first"),
    "places.rule.reuse_first.found.more": (
        "gebouw {name}, {distance} m, {pct} % bezet (en nog {more}): eerst hergebruiken",
        "building {name}, {distance} m away, {pct} % occupied (and {more} more): reuse first"),
    "places.rule.policy_category.no_building": (
        "geen gemeentelijk gebouw gekoppeld", "no municipal building linked"),
    "places.rule.policy_category.dispose": (
        "gebouw {name} staat op afstoten: geen kandidaat", "building {name} is to be disposed of: not a candidate"),
    "places.rule.policy_category.redevelop": (
        "gebouw {name} staat op herontwikkelen: afstemmen met vastgoed",
        "building {name} is marked for redevelopment: agree with real estate"),
    "places.rule.policy_category.ok": (
        "gebouw {name}: beleid {policy}", "building {name}: policy {policy}"),
    "places.rule.condition.no_building": (
        "geen bestaand gebouw: geen conditiemeting", "no existing building: no condition score"),
    "places.rule.condition.unknown": (
        "conditie van gebouw {name} onbekend: laat schouwen", "condition of building {name} unknown: inspect it"),
    "places.rule.condition.poor": (
        "gebouw {name} conditie {condition} (slechter dan {limit}): renovatieraming nodig",
        "building {name} condition {condition} (worse than {limit}): needs a renovation estimate"),
    "places.rule.condition.poor_estimate": (
        "gebouw {name} conditie {condition} (slechter dan {limit}): renovatieraming nodig, indicatie {low_eur} – {high_eur}",
        "building {name} condition {condition} (worse than {limit}): needs a renovation estimate, indication {low_eur} – {high_eur}"),
    "places.rule.condition.ok": (
        "gebouw {name} conditie {condition}: voldoende", "building {name} condition {condition}: adequate"),
    "places.rule.raise_coverage.none": (
        "verhoogt de dekking in geen buurt onder het doel ({target} %)",
        "raises coverage in no buurt below the target ({target} %)"),
    "places.rule.raise_coverage.raises": (
        "verhoogt de dekking in {buurt} van {before} % naar {after} % (+{gain} inwoners; doel {target} %)",
        "raises coverage in {buurt} from {before} % to {after} % (+{gain} inhabitants; target {target} %)"),
    "places.rule.cost_cap.above": (
        "investering tot {high_eur} boven het plafond van {cap_eur}: raadsbesluit nodig",
        "investment up to {high_eur} above the cap of {cap_eur}: needs a council decision"),
    "places.rule.cost_cap.below": (
        "investering tot {high_eur}, binnen het plafond van {cap_eur}",
        "investment up to {high_eur}, within the cap of {cap_eur}"),
    # cost assumptions
    "places.cost.a.standard": (
        "standaardbereik voor {kind} uit {file}", "standard range for {kind} from {file}"),
    "places.cost.a.unknown_kind": (
        "geen eenheidsprijs voor {kind} in {file}: raming ontbreekt",
        "no unit cost for {kind} in {file}: no estimate"),
    "places.cost.a.area": ("vloeroppervlak {m2} m² ({name})", "floor area {m2} m² ({name})"),
    "places.cost.a.area_default": (
        "vloeroppervlak onbekend: {m2} m² aangenomen", "floor area unknown: {m2} m² assumed"),
    "places.cost.a.area_capacity": (
        "vloeroppervlak {m2} m² ({capacity} bezoekers × {per} m²)",
        "floor area {m2} m² ({capacity} visitors × {per} m²)"),
    "places.cost.a.condition_default": (
        "conditie onbekend: {condition} aangenomen", "condition unknown: {condition} assumed"),
    "places.cost.a.renovation": (
        "renovatie bij conditie {condition}: € {low}–{high} per m²",
        "renovation at condition {condition}: €{low}–{high} per m²"),
    "places.cost.a.new": ("nieuwbouw: € {low}–{high} per m²", "new construction: €{low}–{high} per m²"),
    "places.cost.a.yearly_known": (
        "jaarlijkse kosten: huidige exploitatie € {eur}", "yearly cost: current operating cost €{eur}"),
    "places.cost.a.yearly_per_m2": (
        "jaarlijkse kosten: € {low}–{high} per m²", "yearly cost: €{low}–{high} per m²"),
    # shared
    "places.distance": ("Loopafstand (m)", "Walking distance (m)"),
    "places.detour": ("Omrijfactor (hemelsbreed × factor)", "Detour factor (straight line × factor)"),
    "places.kinds": ("Soorten ontmoetingsplaats die meetellen", "Kinds of meeting place that count"),
    "places.settings": ("Instellingen", "Settings"),
    "places.col.buurt": ("Buurt", "Buurt"),
    "places.col.code": ("Code", "Code"),
    "places.col.inhabitants": ("Inwoners", "Inhabitants"),
    "places.col.covered_before": ("Binnen bereik nu", "Within reach now"),
    "places.col.share_before": ("Dekking nu %", "Coverage now %"),
    "places.col.covered_after": ("Binnen bereik met keuze", "Within reach with selection"),
    "places.col.share_after": ("Dekking met keuze %", "Coverage with selection %"),
    "places.col.gain": ("Erbij", "Gained"),
    "places.col.distance": ("Afstand (m)", "Distance (m)"),
    "places.col.address": ("Adres", "Address"),
    "places.col.bag": ("BAG-id", "BAG id"),
    "places.col.function": ("Functie", "Function"),
    "places.col.floor_area": ("Vloeroppervlak m²", "Floor area m²"),
    "places.col.yearly_cost": ("Exploitatie €/jaar", "Operating cost €/year"),
    "places.col.book_value": ("Boekwaarde €", "Book value €"),
    "places.col.served": ("Inwoners binnen bereik", "Inhabitants within reach"),
    "places.col.suggestions": ("Vragen om ontmoetingsplek", "Requests for a meeting place"),
    "places.col.supporters": ("Steunbetuigingen", "Supporters"),
    "places.col.existing": ("Bestaande plekken", "Existing places"),
    "places.col.candidates": ("Kandidaten", "Candidates"),
    "places.col.investment": ("Investering (van – tot)", "Investment (from – to)"),
    "places.col.yearly": ("Per jaar (van – tot)", "Per year (from – to)"),
    "places.col.verdict": ("Oordeel", "Verdict"),
    "places.col.plan": ("Plan", "Plan"),
    "places.col.capacity": ("Capaciteit", "Capacity"),
    "places.none": ("Geen.", "None."),
    # real-estate page
    "re.title": ("Maatschappelijk vastgoed", "Municipal social real estate"),
    "re.intro": (
        "Het gemeentelijk maatschappelijk vastgoed op de kaart en in de tabel. Filter, en controleer een locatie.",
        "The municipal social real-estate portfolio on the map and in a table. Filter, and check a location."),
    "re.filters": ("Filters", "Filters"),
    "re.f.buurt": ("Buurt", "Buurt"),
    "re.f.function": ("Functie", "Function"),
    "re.f.policy": ("Beleidscategorie", "Policy category"),
    "re.f.occupancy": ("Bezetting (%)", "Occupancy (%)"),
    "re.f.condition": ("Conditie (NEN 2767)", "Condition (NEN 2767)"),
    "re.f.all": ("Alle", "All"),
    "re.f.unknown": ("Ook gebouwen zonder bezetting of conditie tonen",
                     "Also show buildings without occupancy or condition"),
    "re.count": ("{n} van {total} gebouwen", "{n} of {total} buildings"),
    "re.empty": ("Er is nog geen maatschappelijk vastgoed geladen. Importeer het met `wijkatlas import places FILE --as real-estate`.",
                 "No municipal real estate loaded yet. Import it with `wijkatlas import places FILE --as real-estate`."),
    "re.check": ("Locatie controleren", "Check a location"),
    "re.check.hint": ("Klik op de kaart, of kies een kandidaat of ontmoetingsplaats.",
                      "Click the map, or pick a candidate or meeting place."),
    "re.check.pick": ("Plek", "Spot"),
    "re.check.pick_none": ("— klik op de kaart of kies —", "— click the map or choose —"),
    "re.check.clicked": ("Aangeklikte plek ({x:.0f}, {y:.0f})", "Clicked spot ({x:.0f}, {y:.0f})"),
    "re.check.radius": ("Zoekafstand gebouwen (m)", "Search distance for buildings (m)"),
    "re.check.buildings": ("Gemeentelijke gebouwen binnen {d} m", "Municipal buildings within {d} m"),
    "re.check.no_buildings": ("Geen gemeentelijk gebouw binnen {d} m.", "No municipal building within {d} m."),
    "re.check.serves": ("Buurten die deze plek bedient (binnen {d} m lopen)",
                        "Buurten this spot serves (within {d} m walking)"),
    "re.check.serves_none": ("Deze plek bedient binnen de loopafstand geen bewoners.",
                             "This spot serves no inhabitants within walking distance."),
    "re.check.below": ("{n} gemeentelijke gebouw(en) binnen {d} m; bedient {k} buurt(en). De details staan onder de kaart.",
                       "{n} municipal building(s) within {d} m; serves {k} buurt(s). Details are below the map."),
    "re.check.outside": ("Die plek ligt buiten de gemeente.", "That spot is outside the municipality."),
    "re.check.in_buurt": ("Ligt in buurt {name} ({code}).", "Lies in buurt {name} ({code})."),
    # meeting-places page
    "mp.title": ("Ontmoetingsplaatsen en accommodatiebeleid", "Meeting places and the accommodation policy"),
    "mp.intro": (
        "Bestaande ontmoetingsplaatsen, kandidaten en de vraag van bewoners; dekking binnen loopafstand, "
        "wat-als en de toets aan het accommodatiebeleid.",
        "Existing meeting places, candidates and residents' requests; coverage within walking distance, "
        "what-if and the check against the accommodation policy."),
    "mp.tab.coverage": ("Dekking en wat-als", "Coverage and what-if"),
    "mp.tab.candidates": ("Kandidaten en beleid", "Candidates and policy"),
    "mp.tab.needs": ("Vraag per buurt", "Needs per buurt"),
    "mp.tab.costs": ("Kosten", "Costs"),
    "mp.whatif": ("Wat als: kandidaten aan of uit", "What if: switch candidates on or off"),
    "mp.whatif.none": ("Er zijn geen kandidaten.", "There are no candidates."),
    "mp.municipality": ("Gemeente: binnen {d} m lopen", "Municipality: within {d} m walking"),
    "mp.metric.now": ("Dekking nu", "Coverage now"),
    "mp.metric.after": ("Dekking met keuze", "Coverage with selection"),
    "mp.radius_note": (
        "Hemelsbreed {r} m (= {d} m lopen ÷ omrijfactor {f}). Inwoners per buurt (CBS) zijn verdeeld over een "
        "raster van {s} m binnen de buurt; er zijn nog geen adrespunten geladen.",
        "Straight line {r} m (= {d} m walking ÷ detour factor {f}). Inhabitants per buurt (CBS) are spread over a "
        "{s} m grid inside the buurt; no address points are loaded yet."),
    "re.check.bag": ("Of een adrespunt (BAG-id)", "Or an address point (BAG id)"),
    "re.check.bag_help": ("Een van de {n} geladen adrespunten, bijvoorbeeld 1771010000012345; Enter om te zoeken.",
                          "One of the {n} loaded address points, e.g. 1771010000012345; press Enter to look it up."),
    "mp.radius_note.points": (
        "Hemelsbreed {r} m (= {d} m lopen ÷ omrijfactor {f}). Inwoners per buurt (CBS) zijn verdeeld over "
        "{n} geladen adrespunten; buurten zonder adrespunten over een raster van {s} m.",
        "Straight line {r} m (= {d} m walking ÷ detour factor {f}). Inhabitants per buurt (CBS) are spread over "
        "the {n} loaded address points; buurten without address points over a {s} m grid."),
    "mp.gap_legend": ("Buiten loopafstand", "Beyond walking distance"),
    "mp.share_legend": ("Dekking per buurt", "Coverage per buurt"),
    "mp.legend.existing": ("Bestaande ontmoetingsplaats", "Existing meeting place"),
    "mp.legend.off": ("Kandidaat (uit)", "Candidate (off)"),
    "mp.card.cost": ("Raming: investering {inv}, jaarlijks {yearly}", "Estimate: investment {inv}, yearly {yearly}"),
    "mp.card.assumptions": ("Aannames", "Assumptions"),
    "mp.card.building": ("Gebouw: {name}", "Building: {name}"),
    "mp.costs.per_buurt": ("Kosten per buurt (kandidaten die aan staan)", "Cost per buurt (candidates switched on)"),
    "mp.costs.per_plan": ("Kosten per plan (kandidaten die aan staan)", "Cost per plan (candidates switched on)"),
    "mp.costs.none": ("Zet kandidaten aan om hun kosten op te tellen.", "Switch candidates on to add up their cost."),
    "mp.policy_file": ("Regels uit {file}; kosten uit {costs}.", "Rules from {file}; costs from {costs}."),
    "mp.no_kinds": ("Kies ten minste één soort ontmoetingsplaats.", "Choose at least one kind of meeting place."),
}
