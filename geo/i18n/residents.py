"""Texts of resident participation, moderation and staff sign-in."""

TEXTS: dict[str, tuple[str, str]] = {
    # navigation
    "nav.suggest": ("Meedenken", "Have your say"),
    "nav.moderation": ("Moderatie", "Moderation"),
    # statuses as residents read them
    "res.status.received": ("Ontvangen, wacht op beoordeling", "Received, awaiting review"),
    "res.status.published": ("Gepubliceerd", "Published"),
    "res.status.in_plan": ("Opgenomen in het plan", "Taken into the plan"),
    "res.status.answered": ("Beantwoord", "Answered"),
    "res.status.not_taken": ("Niet overgenomen", "Not taken up"),
    "res.status.hidden": ("Niet zichtbaar", "Not visible"),
    "res.status.rejected": ("Niet geplaatst", "Not placed"),
    "res.status.merged": ("Samengevoegd met een gelijke suggestie", "Merged with a similar suggestion"),
    "res.col.text": ("Suggestie", "Suggestion"),
    "res.col.reference": ("Kenmerk", "Reference"),
    "res.col.buurt": ("Buurt", "Buurt"),
    "res.col.date": ("Datum", "Date"),
    "res.col.contact": ("E-mail achtergelaten", "E-mail left"),
    # public page
    "res.title": ("Denk mee over uw buurt", "Have your say about your neighbourhood"),
    "res.intro": (
        "Zet een suggestie op de kaart: een plek om elkaar te ontmoeten, meer groen, een onveilige "
        "oversteek. U hebt geen account nodig.",
        "Put a suggestion on the map: a place to meet, more greenery, an unsafe crossing. "
        "No account needed.",
    ),
    "res.view": ("Wat wilt u doen?", "What would you like to do?"),
    "res.tab.new": ("Suggestie doen", "Make a suggestion"),
    "res.tab.list": ("Suggesties bekijken", "See suggestions"),
    "res.tab.track": ("Mijn suggestie volgen", "Follow my suggestion"),
    "res.step.place": ("1. Waar?", "1. Where?"),
    "res.step.what": ("2. Wat?", "2. What?"),
    "res.map_hint": (
        "Klik op de kaart om een speld te zetten, of kies hieronder een buurt.",
        "Click the map to drop a pin, or choose a buurt below.",
    ),
    "res.basemap": ("Achtergrondkaart", "Basemap"),
    "res.pick_buurt": ("Of kies een buurt", "Or choose a buurt"),
    "res.pick_none": ("— kies een buurt —", "— choose a buurt —"),
    "res.pin_at": ("Uw speld staat in {buurt}.", "Your pin is in {buurt}."),
    "res.no_pin": ("Nog geen plek gekozen.", "No place chosen yet."),
    "res.outside": (
        "Die plek ligt buiten de gemeente. Kies een plek binnen de gemeente.",
        "That spot is outside the municipality. Choose a spot inside the municipality.",
    ),
    "res.category": ("Categorie", "Category"),
    "res.category_none": ("— kies een categorie —", "— choose a category —"),
    "res.text": ("Uw suggestie (kort)", "Your suggestion (short)"),
    "res.text_help": ("Maximaal {n} tekens. Zet geen namen of adressen in de tekst.",
                      "At most {n} characters. Do not put names or addresses in the text."),
    "res.email": ("E-mailadres voor berichten (niet verplicht)", "E-mail for updates (optional)"),
    "res.email_help": (
        "Alleen de gemeente ziet dit adres; het wordt nooit getoond of gedeeld. Vraag de gemeente om "
        "het te verwijderen (met uw kenmerk of alleen het adres), dan gebeurt dat.",
        "Only the municipality sees this address; it is never shown or shared. Ask the municipality to "
        "remove it (with your reference or just the address) and it will be.",
    ),
    "res.preview_button": ("Bekijk voorbeeld", "Preview"),
    "res.preview": ("Voorbeeld", "Preview"),
    "res.preview_email": ("U krijgt berichten op het opgegeven e-mailadres (niet openbaar).",
                          "You will get updates at the e-mail address given (not public)."),
    "res.duplicates": (
        "Er staan al vergelijkbare suggesties vlakbij. Steun deze in plaats daarvan?",
        "There are similar suggestions nearby. Support one of these instead?",
    ),
    "res.duplicate_line": ("{distance} m verderop · {supporters} steunbetuigingen",
                           "{distance} m away · {supporters} supporters"),
    "res.support_instead": ("Steun deze in plaats daarvan", "Support this one instead"),
    "res.submit": ("Verstuur suggestie", "Send suggestion"),
    "res.edit": ("Terug naar bewerken", "Back to editing"),
    "res.thanks": (
        "Dank u wel! Uw suggestie is ontvangen met kenmerk {reference} en volgcode {code}. Bewaar de "
        "volgcode: alleen daarmee volgt u de suggestie, ook zolang die nog niet openbaar is.",
        "Thank you! Your suggestion was received with reference {reference} and follow code {code}. Keep "
        "the follow code: only with it can you follow the suggestion, also while it is not yet public.",
    ),
    "res.thanks_review": ("Een moderator bekijkt de suggestie voordat die openbaar wordt.",
                          "A moderator reviews the suggestion before it is made public."),
    "res.thanks_published": ("De suggestie is nu openbaar.", "The suggestion is now public."),
    "res.supported_instead": ("Dank u wel: u steunt nu {reference}.", "Thank you: you now support {reference}."),
    "res.field_error": ("Controleer {field}: {message}", "Please check {field}: {message}"),
    "res.limit.client": (
        "U heeft het afgelopen uur al {n} suggesties ingestuurd; meer kan nu niet. Probeer het later nog eens. "
        "Uw tekst blijft bewaard.",
        "You have sent {n} suggestions in the past hour; that is the maximum for now. Please try again later. "
        "Your text has been kept."),
    "res.limit.address": (
        "Vanaf dit internetadres zijn het afgelopen uur al {m} suggesties ingestuurd. Probeer het later nog "
        "eens. Uw tekst blijft bewaard.",
        "{m} suggestions have been sent from this internet address in the past hour. Please try again later. "
        "Your text has been kept."),
    "res.limit.busy": (
        "Er komen op dit moment erg veel suggesties binnen. Wacht een minuut en verstuur opnieuw; uw tekst "
        "blijft bewaard.",
        "Very many suggestions are coming in right now. Wait a minute and send again; your text has been kept."),
    "res.limit.support": (
        "Deze suggestie is vanaf dit internetadres al {s} keer gesteund; meer steun van hieruit telt niet mee.",
        "This suggestion has already been supported {s} times from this internet address; more support from "
        "here does not count."),
    "res.filter_buurt": ("Buurt", "Buurt"),
    "res.filter_category": ("Categorie", "Category"),
    "res.filter_all": ("Alle", "All"),
    "res.count": ("{n} suggesties", "{n} suggestions"),
    "res.none": ("Nog geen openbare suggesties met deze keuze.", "No public suggestions for this choice yet."),
    "res.more": ("De lijst toont de eerste {n}; verfijn met de filters.",
                 "The list shows the first {n}; narrow it with the filters."),
    "res.support": ("Ik steun dit ({n})", "I support this ({n})"),
    "res.supported": ("U steunt dit ({n})", "You support this ({n})"),
    "res.support_thanks": ("Dank u wel voor uw steun.", "Thank you for your support."),
    "res.activity_link": ("Bekijk de activiteit op de kaartverkenner", "See the activity in the map explorer"),
    "res.activity": ("Periode van de activiteit: {period}", "Activity period: {period}"),
    "res.coarse_note": (
        "Spelden staan op ongeveer {n} m nauwkeurig, zodat ze niet naar een voordeur wijzen.",
        "Pins are shown to about {n} m, so they do not point at anyone's front door.",
    ),
    "res.track_input": ("Uw volgcode (bijvoorbeeld K7M2-QX9D-4HTP) of het kenmerk van een openbare suggestie",
                        "Your follow code (e.g. K7M2-QX9D-4HTP) or the reference of a public suggestion"),
    "res.track_none": (
        "Geen suggestie gevonden. Een suggestie die nog niet openbaar is, volgt u met de volgcode uit uw "
        "bevestiging (bijvoorbeeld K7M2-QX9D-4HTP); een openbare ook met haar kenmerk (WA-2026-0042).",
        "No suggestion found. A suggestion that is not yet public is followed with the follow code from your "
        "confirmation (e.g. K7M2-QX9D-4HTP); a public one also with its reference (WA-2026-0042)."),
    "res.track_button": ("Zoek", "Look up"),
    "res.track_status": ("Status: {status}", "Status: {status}"),
    "res.mine": ("Uw suggesties in deze sessie: {refs}", "Your suggestions in this session: {refs}"),
    # moderation
    "mod.title": ("Moderatie van suggesties", "Moderation of suggestions"),
    "mod.policy_hold": ("Nieuwe suggesties wachten op beoordeling voordat ze openbaar worden.",
                        "New suggestions wait for review before they become public."),
    "mod.policy_publish": ("Nieuwe suggesties worden direct openbaar en daarna beoordeeld.",
                           "New suggestions are published at once and reviewed afterwards."),
    "mod.statuses": ("Toon status", "Show status"),
    "mod.empty": ("Geen suggesties met deze status. De wachtrij is leeg.",
                  "No suggestions with this status. The queue is empty."),
    "mod.queue": ("Wachtrij ({n})", "Queue ({n})"),
    "mod.select": ("Selectie voor bulkacties", "Selection for bulk actions"),
    "mod.open": ("Open suggestie", "Open suggestion"),
    "mod.detail": ("Suggestie {reference}", "Suggestion {reference}"),
    "mod.meta": ("{category} · {buurt} · {status} · {supporters} steun · {date}",
                 "{category} · {buurt} · {status} · {supporters} support · {date}"),
    "mod.has_contact": ("De bewoner heeft een e-mailadres achtergelaten (niet getoond).",
                        "The resident left an e-mail address (not shown)."),
    "mod.nearby": ("Vergelijkbaar in de buurt (zelfde categorie, binnen {m} m):",
                   "Similar nearby (same category, within {m} m):"),
    "mod.applies_to": ("Acties gelden voor: {refs}", "Actions apply to: {refs}"),
    "mod.publish": ("Publiceer", "Publish"),
    "mod.hide": ("Verberg", "Hide"),
    "mod.reason": ("Reden of antwoord (openbaar bij 'beantwoord' en 'niet overgenomen')",
                   "Reason or answer (public for 'answered' and 'not taken up')"),
    "mod.reject": ("Weiger met reden", "Reject with reason"),
    "mod.answer": ("Beantwoord", "Answer"),
    "mod.not_taken": ("Niet overnemen, met reden", "Not taken up, with reason"),
    "mod.merge_into": ("Voeg de selectie samen met", "Merge the selection into"),
    "mod.merge": ("Voeg samen", "Merge"),
    "mod.activity_title": ("Titel van de activiteit", "Activity title"),
    "mod.activity_domain": ("Domein", "Domain"),
    "mod.quick_win": ("Quick win (klein punt, direct oppakken)", "Quick win (small point, pick up now)"),
    "mod.to_activity": ("Maak er een agenda-activiteit van", "Turn into an agenda activity"),
    "mod.done": ("{action}: {n} suggestie(s) bijgewerkt.", "{action}: {n} suggestion(s) updated."),
    "mod.activity_done": ("Aangemaakt: {title}.", "Created: {title}."),
    "mod.activity_title_help": ("Bij meer dan één suggestie krijgt elke activiteit de tekst van haar suggestie "
                                "als titel.", "With more than one suggestion, each activity is titled after "
                                "its own suggestion."),
    "mod.audit": ("Logboek (wie, wanneer, wat)", "Log (who, when, what)"),
    "mod.col.at": ("Wanneer", "When"),
    "mod.col.user": ("Wie", "Who"),
    "mod.col.action": ("Actie", "Action"),
    "mod.col.target": ("Kenmerk", "Reference"),
    "mod.col.detail": ("Toelichting", "Detail"),
    "mod.nothing_selected": ("Kies eerst een suggestie.", "Choose a suggestion first."),
    "mod.select_placeholder": ("Kies een of meer suggesties", "Choose one or more suggestions"),
    "mod.statuses_placeholder": ("Kies een of meer statussen", "Choose one or more statuses"),
    # audit log actions (geo.moderation / geo.agenda write "suggestion.<what>")
    "mod.log.publish": ("gepubliceerd", "published"),
    "mod.log.hide": ("verborgen", "hidden"),
    "mod.log.reject": ("geweigerd", "rejected"),
    "mod.log.answer": ("beantwoord", "answered"),
    "mod.log.not_taken": ("niet overgenomen", "not taken up"),
    "mod.log.merge": ("samengevoegd", "merged"),
    "mod.log.merge_target": ("duplicaten opgenomen", "duplicates merged in"),
    "mod.log.to_activity": ("activiteit van gemaakt", "turned into an activity"),
    "mod.log.in_plan": ("opgenomen in het plan", "taken into the plan"),
    "mod.log.released": ("uit het plan gehaald", "released from the plan"),
    # sign-in in the frame
    "auth.signin": ("Aanmelden voor medewerkers", "Staff sign-in"),
    "auth.name": ("Naam", "Name"),
    "auth.password": ("Wachtwoord", "Password"),
    "auth.submit": ("Aanmelden", "Sign in"),
    "auth.sso": ("Aanmelden met gemeenteaccount", "Sign in with municipal account"),
    "auth.signed_in": ("Aangemeld als {name} ({role})", "Signed in as {name} ({role})"),
    "auth.signout": ("Afmelden", "Sign out"),
    "auth.page_refused": (
        "Deze pagina is alleen voor medewerkers met de juiste rol. Meld u aan via 'Aanmelden voor "
        "medewerkers' in de zijbalk.",
        "This page is for staff with the right role only. Sign in with 'Staff sign-in' in the sidebar.",
    ),
    "auth.expired": ("Uw sessie is verlopen na {n} minuten zonder gebruik; meld u opnieuw aan.",
                     "Your session expired after {n} minutes without use; please sign in again."),
    "auth.revoked": ("Uw account is gewijzigd of uitgezet; meld u opnieuw aan.",
                     "Your account was changed or disabled; please sign in again."),
    "auth.failed": ("Aanmelden mislukt: {message}", "Sign-in failed: {message}"),
    "auth.sso_no_role": (
        "U bent aangemeld als {name}, maar dit account heeft geen rol in Wijkatlas. Vraag de beheerder.",
        "You are signed in as {name}, but this account has no role in Wijkatlas. Ask the administrator.",
    ),
}
