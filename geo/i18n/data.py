"""Texts of the data page: import (admins) and export (staff)."""

TEXTS: dict[str, tuple[str, str]] = {
    "nav.data": ("Gegevens importeren en exporteren", "Import and export data"),
    "data.title": ("Gegevens importeren en exporteren", "Import and export data"),
    "data.export.header": ("Exporteren voor QGIS", "Export for QGIS"),
    "data.export.intro": (
        "Een GeoPackage bevat alle lagen in RD New (EPSG:28992) met de juiste veldtypen; GeoJSON (WGS84) en CSV "
        "(WKT in RD New) bevatten één laag. Een Excel-werkmap heeft een blad per laag, met getallen als getallen, "
        "datums als datums en de ligging in RD New en WGS84. E-mailadressen van bewoners gaan nooit mee, tenzij "
        "een beheerder daar uitdrukkelijk om vraagt.",
        "A GeoPackage holds every layer in RD New (EPSG:28992) with proper field types; GeoJSON (WGS84) and CSV "
        "(WKT in RD New) hold one layer. An Excel workbook has a sheet per layer, numbers as numbers, dates as "
        "dates and the location in RD New and WGS84. Residents' e-mail addresses never leave unless an "
        "administrator explicitly asks for them.",
    ),
    "data.layer.areas": ("Gebieden (gemeente, wijken, buurten)", "Areas (municipality, wijken, buurten)"),
    "data.layer.meeting_places": ("Ontmoetingsplaatsen", "Meeting places"),
    "data.layer.real_estate": ("Maatschappelijk vastgoed", "Municipal real estate"),
    "data.layer.activities": ("Agenda-activiteiten", "Agenda activities"),
    "data.layer.suggestions": ("Suggesties van bewoners", "Resident suggestions"),
    "data.layer.address_points": ("Adrespunten (BAG, voor de dekking)", "Address points (BAG, for coverage)"),
    "data.sheet.areas": ("Gebieden", "Areas"),
    "data.sheet.meeting_places": ("Ontmoetingsplaatsen", "Meeting places"),
    "data.sheet.real_estate": ("Vastgoed", "Real estate"),
    "data.sheet.activities": ("Activiteiten", "Activities"),
    "data.sheet.suggestions": ("Suggesties", "Suggestions"),
    "data.export.all": ("Alles als GeoPackage", "Everything as GeoPackage"),
    "data.export.all_xlsx": ("Alles als Excel-werkmap (een blad per laag)", "Everything as an Excel workbook (a sheet per layer)"),
    "data.export.layer": ("Laag", "Layer"),
    "data.export.count": ("Aantal", "Count"),
    "data.export.contacts": (
        "Inclusief e-mailadressen van bewoners (AVG: alleen als het echt nodig is)",
        "Include residents' e-mail addresses (GDPR: only when truly needed)",
    ),
    "data.import.header": ("Importeren", "Import"),
    "data.import.intro": (
        "Eerst een voorbeeld, dan pas importeren: er wordt niets opgeslagen tot u op Importeren klikt, "
        "en een import komt helemaal binnen of helemaal niet.",
        "Preview first, then import: nothing is stored until you click Import, and an import lands "
        "completely or not at all.",
    ),
    "data.import.admin_only": ("Importeren is alleen voor beheerders.", "Importing is for administrators only."),
    "data.kind": ("Wat importeert u?", "What are you importing?"),
    "data.kind.boundaries": ("Wijk- en buurtgrenzen (CBS)", "Wijk and buurt boundaries (CBS)"),
    "data.kind.meeting-places": ("Ontmoetingsplaatsen", "Meeting places"),
    "data.kind.real-estate": ("Maatschappelijk vastgoed", "Municipal real estate"),
    "data.kind.activities": ("Agenda-activiteiten", "Agenda activities"),
    "data.kind.suggestions": ("Suggesties", "Suggestions"),
    "data.kind.address-points": ("Adrespunten (BAG)", "Address points (BAG)"),
    "data.upload": (
        "Bestand (GeoJSON, TopoJSON, GeoPackage, zip met shapefile, Excel of OpenDocument, of CSV) — met "
        "coördinaten (lat/lon, x/y, WKT) of met adressen (postcode en huisnummer, straat en huisnummer, BAG-id)",
        "File (GeoJSON, TopoJSON, GeoPackage, zipped shapefile, Excel or OpenDocument, or CSV) — with coordinates "
        "(lat/lon, x/y, WKT) or with addresses (postcode and house number, street and house number, BAG id)",
    ),
    "data.sheet": ("Blad in de werkmap", "Sheet in the workbook"),
    "data.preview.by_address": (
        "Het bestand heeft geen coördinaten: de rijen staan op de kaart bij hun adres (BAG-adrespunten).",
        "The file has no coordinates: rows are shown at their address (BAG address points).",
    ),
    "data.keep_unplaced": (
        "Rijen waarvan het adres niet gevonden wordt bewaren, om ze later op de kaart te plaatsen",
        "Keep rows whose address is not found, to place them on the map later",
    ),
    "data.summary.placed_by": ("Geplaatst via {methods}", "Placed by {methods}"),
    "data.summary.unplaced": ("{n} rij(en) konden niet op adres geplaatst worden.",
                              "{n} row(s) could not be placed by address."),
    "data.summary.kept": ("{n} worden bewaard om later te plaatsen.", "{n} are kept to be placed later."),
    "data.summary.address": ("Adres", "Address"),
    "data.summary.candidates": ("Dichtstbijzijnde adressen", "Closest addresses"),
    "data.pending.header": ("Nog te plaatsen: {n} rij(en) uit eerdere imports", "To be placed: {n} row(s) from earlier imports"),
    "data.pending.intro": (
        "Kies een van de voorgestelde adressen, zoek het adres op postcode en huisnummer (BAG-adrespunten) of klik "
        "op de kaart.",
        "Pick one of the suggested addresses, look the address up by postcode and house number (BAG address points) "
        "or click on the map.",
    ),
    "data.pending.row": ("Rij", "Row"),
    "data.pending.postcode": ("Postcode", "Postcode"),
    "data.pending.number": ("Huisnummer", "House number"),
    "data.pending.none_found": ("Geen adres gevonden met deze postcode.", "No address found with this postcode."),
    "data.pending.pick": ("Adres", "Address"),
    "data.pending.map": ("Of klik op de kaart waar het hoort (oranje: voorgestelde adressen).",
                         "Or click on the map where it belongs (orange: suggested addresses)."),
    "data.pending.clicked": ("Aangeklikte plek (RD {x}, {y})", "Clicked spot (RD {x}, {y})"),
    "data.pending.place": ("Plaatsen", "Place"),
    "data.pending.discard": ("Niet plaatsen (verwijderen)", "Do not place (remove)"),
    "data.file": ("Bestand: {name} ({format}, laag {layer}, {rows} rijen)", "File: {name} ({format}, layer {layer}, {rows} rows)"),
    "data.layer": ("Laag in het bestand", "Layer in the file"),
    "data.file.sheet": ("Bestand: {name} ({format}, blad {layer}, {rows} rijen)",
                        "File: {name} ({format}, sheet {layer}, {rows} rows)"),
    "data.allow_large": ("Groot bestand toestaan", "Allow a large file"),
    "data.allow_large_help": (
        "Boven de importgrenzen per laag (rijen, punten, bestandsgrootte; data/import_limits.toml) wordt een "
        "bestand geweigerd. Vink dit aan om tot tien keer die grenzen toe te staan.",
        "Files above the import limits per layer (rows, vertices, file size; data/import_limits.toml) are "
        "refused. Tick this to allow up to ten times those limits."),
    "data.crs": ("Coördinatenstelsel (alleen als het bestand het niet goed vermeldt)",
                 "Coordinate system (only if the file does not state it correctly)"),
    "data.crs_found": ("Coördinatenstelsel: {crs}", "Coordinate system: {crs}"),
    "data.level": ("Niveau", "Level"),
    "data.level.auto": ("Automatisch (wat het bestand bevat)", "Automatic (what the file holds)"),
    "data.municipality": ("Alleen gemeente(n), bijvoorbeeld GM1771 (leeg: alle)", "Only municipality(ies), e.g. GM1771 (empty: all)"),
    "data.include_outside": ("Ook objecten buiten de gemeente opnemen (zonder buurt)",
                             "Also take objects outside the municipality (without a buurt)"),
    "data.preview": ("Voorbeeld: de eerste rijen", "Preview: the first rows"),
    "data.preview_map": ("Voorbeeld op de kaart", "Preview on the map"),
    "data.mapping": ("Kolommen koppelen", "Map columns"),
    "data.mapping.intro": (
        "Kies per veld de kolom uit het bestand. Bekende namen (ook Nederlandse, zoals naam, soort, bezetting) "
        "zijn al ingevuld.",
        "Pick the file's column for each field. Known names (also Dutch ones such as naam, soort, bezetting) "
        "are filled in already.",
    ),
    "data.mapping.none": ("— geen —", "— none —"),
    "data.preset": ("Vertaling van een bekende bron", "Translation of a known source"),
    "data.preset.none": ("Geen (eigen kolomkoppeling)", "None (own column mapping)"),
    "data.preview.geometry": ("geometrie", "geometry"),
    "data.field.name": ("Naam", "Name"),
    "data.field.kind": ("Soort", "Kind"),
    "data.field.status": ("Status", "Status"),
    "data.field.capacity": ("Capaciteit", "Capacity"),
    "data.field.real_estate_id": ("Gebouw (id in Wijkatlas)", "Building (Wijkatlas id)"),
    "data.field.description": ("Omschrijving", "Description"),
    "data.field.address": ("Adres", "Address"),
    "data.field.bag_id": ("BAG-id", "BAG id"),
    "data.field.function": ("Functie", "Function"),
    "data.field.floor_area_m2": ("Vloeroppervlak (m²)", "Floor area (m²)"),
    "data.field.occupancy_pct": ("Bezetting (%)", "Occupancy (%)"),
    "data.field.condition": ("Conditie (NEN 2767, 1–6)", "Condition (NEN 2767, 1–6)"),
    "data.field.yearly_cost_eur": ("Jaarlasten (€)", "Yearly cost (€)"),
    "data.field.book_value_eur": ("Boekwaarde (€)", "Book value (€)"),
    "data.field.policy": ("Beleidscategorie", "Policy category"),
    "data.field.title": ("Titel", "Title"),
    "data.field.domain": ("Domein", "Domain"),
    "data.field.lead_partner": ("Trekker", "Lead partner"),
    "data.field.partners": ("Partners", "Partners"),
    "data.field.start": ("Start (kwartaal)", "Start (quarter)"),
    "data.field.end": ("Einde (kwartaal)", "End (quarter)"),
    "data.field.cost_estimate_eur": ("Raming (€)", "Estimate (€)"),
    "data.field.cost_actual_eur": ("Werkelijke kosten (€)", "Actual cost (€)"),
    "data.field.quick_win": ("Quick win", "Quick win"),
    "data.field.buurt_code": ("Buurtcode", "Buurt code"),
    "data.field.category": ("Categorie", "Category"),
    "data.field.text": ("Tekst", "Text"),
    "data.field.created_at": ("Ingediend op", "Submitted on"),
    "data.field.inhabitants": ("Inwoners", "Inhabitants"),
    "data.required": ("verplicht", "required"),
    "data.summary": ("Wat er zou gebeuren", "What would happen"),
    "data.summary.imported": ("Importeren", "Import"),
    "data.summary.created": ("Nieuw", "New"),
    "data.summary.updated": ("Vervangen", "Replaced"),
    "data.summary.repaired": ("Gerepareerd", "Repaired"),
    "data.summary.skipped": ("Overgeslagen", "Skipped"),
    "data.summary.reason": ("Reden", "Reason"),
    "data.summary.row": ("Rij", "Row"),
    "data.summary.id": ("Id / code", "Id / code"),
    "data.summary.derived": ("Afgeleid uit de codes: {codes}", "Derived from the codes: {codes}"),
    "data.summary.municipalities": ("Gemeenten: {codes}", "Municipalities: {codes}"),
    "data.summary.levels": ("Niveau: {levels}", "Level: {levels}"),
    "data.summary.duplicates": ("Dubbele ids: {ids}", "Duplicate ids: {ids}"),
    "data.summary.outside": ("Buiten de gemeente maar toch opgenomen: {n}", "Outside the municipality but included: {n}"),
    "data.summary.not_in_file": (
        "{n} gebied(en) staan al in de database maar niet in dit bestand; ze blijven staan (niet verwijderd): {codes}",
        "{n} area(s) are in the database but not in this file; they are kept (not deleted): {codes}",
    ),
    "data.commit": ("Importeren", "Import"),
    "data.done": ("{n} objecten geïmporteerd uit {file}.", "{n} objects imported from {file}."),
    "data.already": ("Dit bestand is al geïmporteerd. Kies een ander bestand.", "This file has been imported. Choose another file."),
}


def field_label(name: str, lang: str = "nl") -> str:
    """A record field as the mapping step shows it: its name for people, then
    the field name that ``--map SOURCE=FIELD`` uses (unknown fields: the name)."""
    from . import t

    key = f"data.field.{name}"
    return f"{t(key, lang)} ({name})" if key in TEXTS else name
