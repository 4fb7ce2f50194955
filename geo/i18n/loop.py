"""Texts of 'residents in the loop': e-mail updates, the public buurt page,
resident initiatives and the interactive evaluation."""

TEXTS: dict[str, tuple[str, str]] = {
    # --- e-mail ------------------------------------------------------------------------
    "mail.greeting": ("Beste bewoner,", "Dear resident,"),
    "mail.suggestion.subject": ("Uw suggestie {reference}: {status}", "Your suggestion {reference}: {status}"),
    "mail.suggestion.intro": ("Er is nieuws over uw suggestie {reference}.", "There is news about your suggestion {reference}."),
    "mail.suggestion.published": (
        "Uw suggestie is gepubliceerd: iedereen kan haar nu zien en steunen.",
        "Your suggestion has been published: everyone can now see and support it.",
    ),
    "mail.suggestion.in_plan": (
        "Uw suggestie is opgenomen in het plan voor de buurt.",
        "Your suggestion has been taken into the neighbourhood plan.",
    ),
    "mail.suggestion.answered": ("De gemeente heeft uw suggestie beantwoord.", "The municipality has answered your suggestion."),
    "mail.suggestion.not_taken": (
        "Uw suggestie is niet overgenomen.",
        "Your suggestion has not been taken up.",
    ),
    "mail.activity": ("Activiteit: {title} (status: {status})", "Activity: {title} (status: {status})"),
    "mail.answer": ("Antwoord van de gemeente:", "The municipality's answer:"),
    "mail.reason": ("Toelichting van de gemeente:", "The municipality's explanation:"),
    "mail.follow": (
        "U kunt uw suggestie volgen op de pagina Meedenken met kenmerk {reference}.",
        "You can follow your suggestion on the page Have your say with reference {reference}.",
    ),
    "mail.unsubscribe": (
        "Geen berichten meer ontvangen? Meld u af met deze link (uw e-mailadres wordt dan gewist):",
        "No more messages? Unsubscribe with this link (your e-mail address is then erased):",
    ),
    "mail.initiative.subject": ("Uw initiatief {reference}: {status}", "Your initiative {reference}: {status}"),
    "mail.initiative.intro": (
        "Uw initiatief {reference} ({title}) is beoordeeld.",
        "Your initiative {reference} ({title}) has been assessed.",
    ),
    "mail.initiative.approved": (
        "Goed nieuws: de gemeente steunt uw initiatief. Het staat nu als quick win in het plan, met uw "
        "bijdrage in de begroting.",
        "Good news: the municipality supports your initiative. It is now a quick win in the plan, with your "
        "contribution in the budget.",
    ),
    "mail.initiative.not_eligible": (
        "De gemeente kan uw initiatief helaas niet steunen.",
        "Unfortunately the municipality cannot support your initiative.",
    ),
    # --- unsubscribe (on the Meedenken page) ------------------------------------------------
    "mail.unsubscribed": (
        "U bent afgemeld: uw e-mailadres is gewist en u krijgt geen berichten meer.",
        "You have been unsubscribed: your e-mail address has been erased and you will get no more messages.",
    ),
    "mail.unsubscribe_unknown": (
        "Deze afmeldlink is onbekend of al gebruikt; er staat geen e-mailadres meer bij.",
        "This unsubscribe link is unknown or already used; no e-mail address is kept for it.",
    ),
    # --- outbox status (moderation page) -------------------------------------------------------
    "mail.outbox": ("E-mailberichten aan bewoners", "E-mail messages to residents"),
    "mail.outbox.no_smtp": (
        "Er is geen mailserver ingesteld ([mail] in .streamlit/secrets.toml): {n} bericht(en) wachten en "
        "worden verstuurd zodra dat wel zo is.",
        "No mail server is configured ([mail] in .streamlit/secrets.toml): {n} message(s) wait and will be "
        "sent once one is.",
    ),
    "mail.outbox.status": (
        "Verstuurd: {sent} · wachtend: {pending} · mislukt: {failed}",
        "Sent: {sent} · waiting: {pending} · failed: {failed}",
    ),
    "mail.outbox.error": ("Laatste fout bij versturen: {error}", "Last sending error: {error}"),
    "mail.outbox.bad_config": ("De mailinstellingen kloppen niet: {message}", "The mail settings are wrong: {message}"),
    # --- the plan in public ("Wat gebeurt er in mijn buurt?") ------------------------------
    "nav.buurt": ("Mijn buurt", "My neighbourhood"),
    "pub.title": ("Wat gebeurt er in mijn buurt?", "What is happening in my neighbourhood?"),
    "pub.intro": (
        "Het plan voor uw buurt: wat we willen bereiken, wat er gebeurt en hoe ver het is, en wat er met de "
        "inbreng van bewoners is gedaan.",
        "The plan for your neighbourhood: what we want to achieve, what is happening and how far along it "
        "is, and what became of residents' input.",
    ),
    "pub.pick": ("Kies uw buurt", "Choose your neighbourhood"),
    "pub.pick_none": ("— kies een buurt —", "— choose a neighbourhood —"),
    "pub.unknown": ("Deze buurt kennen we niet; kies er een uit de lijst.", "We do not know this neighbourhood; choose one from the list."),
    "pub.share": ("Deel deze pagina: …/{path}", "Share this page: …/{path}"),
    "pub.no_plan": ("Voor deze buurt is nog geen wijkplan gemaakt.", "No neighbourhood plan has been made for this neighbourhood yet."),
    "pub.activities": ("Activiteiten", "Activities"),
    "pub.goals": ("Waar het plan over gaat", "What the plan is about"),
    "pub.effects": ("Wat we willen bereiken", "What we want to achieve"),
    "pub.agenda": ("Uitvoeringsagenda", "Implementation agenda"),
    "pub.no_activities": ("Er staan nog geen activiteiten op de agenda.", "There are no activities on the agenda yet."),
    "pub.col.done": ("Gereed", "Done"),
    "pub.col.updated": ("Laatste update", "Last update"),
    "pub.col.cost": ("Raming", "Estimate"),
    "pub.costs_hidden": (
        "Kosten per activiteit worden niet getoond: het plan maakt ze niet openbaar.",
        "Costs per activity are not shown: the plan does not make them public.",
    ),
    "pub.said_did": ("Jullie zeiden, wij deden", "You said, we did"),
    "pub.said_did_none": (
        "Nog geen suggesties of initiatieven van bewoners opgenomen in het plan.",
        "No residents' suggestions or initiatives taken into the plan yet.",
    ),
    "pub.kind.suggestion": ("Suggestie", "Suggestion"),
    "pub.kind.initiative": ("Initiatief", "Initiative"),
    "pub.said": ("Bewoners zeiden", "Residents said"),
    "pub.did": ("Wat we doen", "What we do"),
    "pub.legend": ("Activiteiten", "Activities"),
    "pub.legend.pin": ("Inbreng van bewoners", "Residents' input"),
    "pub.to_explorer": ("Bekijk de buurt op de kaart", "See the neighbourhood on the map"),
    "pub.to_suggest": ("Denk mee: doe een suggestie", "Have your say: make a suggestion"),
    "pub.explorer_link": ("Wat gebeurt er in deze buurt? (openbare pagina)", "What is happening in this neighbourhood? (public page)"),
    "plan.field.costs_public": ("Kosten per activiteit openbaar", "Costs per activity public"),
    "plan.field.costs_public_help": (
        "Aan: de openbare pagina 'Mijn buurt' toont de raming van elke activiteit.",
        "On: the public page 'My neighbourhood' shows each activity's estimate.",
    ),
    # --- interactive evaluation ---------------------------------------------------------------
    "nav.evaluation": ("Evaluatie invullen", "Take part in an evaluation"),
    "eval.title": ("Hoe gaat het met het plan voor uw buurt?", "How is the plan for your neighbourhood going?"),
    "eval.intro": (
        "Geef aan hoe u over deze stellingen denkt, van 1 (helemaal oneens) tot 5 (helemaal eens). "
        "U hebt geen account nodig; uw antwoorden zijn anoniem.",
        "Say what you think of these statements, from 1 (strongly disagree) to 5 (strongly agree). "
        "No account needed; your answers are anonymous.",
    ),
    "eval.none_open": ("Er is op dit moment geen evaluatie om in te vullen.", "There is no evaluation to take part in at the moment."),
    "eval.pick": ("Evaluatie", "Evaluation"),
    "eval.period": ("Open van {start} tot en met {end}", "Open from {start} to {end}"),
    "eval.scale": ("Uw oordeel", "Your view"),
    "eval.score.none": ("Geen mening", "No opinion"),
    "eval.score.1": ("1 helemaal oneens", "1 strongly disagree"),
    "eval.score.2": ("2 oneens", "2 disagree"),
    "eval.score.3": ("3 neutraal", "3 neutral"),
    "eval.score.4": ("4 eens", "4 agree"),
    "eval.score.5": ("5 helemaal eens", "5 strongly agree"),
    "eval.comment": ("Toelichting (mag leeg blijven)", "Comment (optional)"),
    "eval.submit": ("Antwoorden versturen", "Send answers"),
    "eval.thanks": ("Dank u wel! Uw antwoorden zijn opgeslagen.", "Thank you! Your answers have been saved."),
    "eval.done_before": ("U heeft deze evaluatie al ingevuld; dank u wel.", "You have already taken part in this evaluation; thank you."),
    "eval.as_group": ("U antwoordt als: {group}", "You answer as: {group}"),
    "eval.group.resident": ("bewoners", "residents"),
    "eval.group.partner": ("partners", "partners"),
    "eval.group.municipality": ("gemeente", "municipality"),
    "eval.group.all": ("allen", "everyone"),
    "eval.col.statement": ("Stelling", "Statement"),
    "eval.col.group": ("Groep", "Group"),
    "eval.col.n": ("Aantal", "Number"),
    "eval.col.mean": ("Gemiddeld", "Mean"),
    "eval.col.spread": ("Spreiding", "Spread"),
    "eval.col.counts": ("Verdeling (1–5)", "Distribution (1–5)"),
    "eval.col.no_opinion": ("Geen mening", "No opinion"),
    "eval.evidence": ("Stelling '{statement}': {parts}", "Statement '{statement}': {parts}"),
    "eval.evidence.group": ("{group} gemiddeld {mean} (n={n}, spreiding {spread})", "{group} mean {mean} (n={n}, spread {spread})"),
    # on the plan page
    "eval.rounds": ("Interactieve evaluatie", "Interactive evaluation"),
    "eval.rounds.none": ("Nog geen evaluatieronde voor dit plan.", "No evaluation round for this plan yet."),
    "eval.round.new": ("Nieuwe evaluatieronde openen", "Open a new evaluation round"),
    "eval.round.title": ("Titel", "Title"),
    "eval.round.title_default": ("Evaluatie {title}", "Evaluation {title}"),
    "eval.round.opens": ("Begindatum", "Start date"),
    "eval.round.closes": ("Einddatum", "End date"),
    "eval.round.statements": ("Stellingen voor {domain} (één per regel)", "Statements for {domain} (one per line)"),
    "eval.round.open": ("Ronde openen", "Open the round"),
    "eval.round.opened": ("Evaluatieronde geopend.", "Evaluation round opened."),
    "eval.round.pick": ("Evaluatieronde", "Evaluation round"),
    "eval.round.state.upcoming": ("nog niet open", "not yet open"),
    "eval.round.state.open": ("open", "open"),
    "eval.round.state.closed": ("gesloten", "closed"),
    "eval.round.link": ("Openbare link voor bewoners en partners: …/{path}", "Public link for residents and partners: …/{path}"),
    "eval.round.responses": ("Antwoorden: {resident} van bewoners, {partner} van partners, {municipality} van de gemeente",
                             "Responses: {resident} from residents, {partner} from partners, {municipality} from the municipality"),
    "eval.round.close": ("Ronde sluiten", "Close the round"),
    "eval.round.closed": ("Evaluatieronde gesloten.", "Evaluation round closed."),
    "eval.results": ("Resultaten per stelling en groep", "Results per statement and group"),
    "eval.results.none": ("Nog geen antwoorden.", "No answers yet."),
    "eval.comments": ("Toelichtingen", "Comments"),
    "eval.to_factor": ("Maak er een succes- of faalfactor van", "Turn it into a success or failure factor"),
    "eval.to_factor.pick": ("Stelling", "Statement"),
    "eval.to_factor.help": (
        "Het resultaat wordt de onderbouwing; de factor komt in het plandocument en, gedeeld, als les bij andere plannen.",
        "The result becomes the evidence; the factor appears in the plan document and, when shared, as a lesson for other plans.",
    ),
}
