"""Common municipal words in their singular, plural and definite forms.

The measure of the search stem (`analysis.stem`): every form of a word should have the same
stem, so that each form finds the same things. `indgang search forms` prints how many words
meet under Snowball alone and under the search stem; a test searches the demo for each form.
The words come from the demo's knowledge base, task list and KLE titles, and from what citizens
ask the front desk about.
"""

from __future__ import annotations

from collections.abc import Callable

COMMON_WORD_FORMS: tuple[tuple[str, ...], ...] = (
    ("parkeringslicens", "parkeringslicenser", "parkeringslicensen"),
    ("flytning", "flytninger", "flytningen"),
    ("byggetilladelse", "byggetilladelser", "byggetilladelsen"),
    ("rollator", "rollatorer", "rollatoren"),
    ("restskat", "restskatter", "restskatten"),
    ("ældrebolig", "ældreboliger", "ældreboligen"),
    ("sygesikringskort", "sygesikringskortene", "sygesikringskortet"),
    ("carport", "carporte", "carporten"),
    ("rotte", "rotter", "rotten"),
    ("aktindsigt", "aktindsigter", "aktindsigten"),
    ("pension", "pensioner", "pensionen"),
    ("folkepension", "folkepensioner", "folkepensionen"),
    ("boligstøtte", "boligstøtter", "boligstøtten"),
    ("hjælpemiddel", "hjælpemidler", "hjælpemidlet"),
    ("handicapbil", "handicapbiler", "handicapbilen"),
    ("institution", "institutioner", "institutionen"),
    ("daginstitution", "daginstitutioner", "daginstitutionen"),
    ("skole", "skoler", "skolen"),
    ("børnehave", "børnehaver", "børnehaven"),
    ("vuggestue", "vuggestuer", "vuggestuen"),
    ("dagpleje", "dagplejer", "dagplejen"),
    ("plejebolig", "plejeboliger", "plejeboligen"),
    ("plejehjem", "plejehjemmene", "plejehjemmet"),
    ("affaldsbeholder", "affaldsbeholdere", "affaldsbeholderen"),
    ("container", "containere", "containeren"),
    ("skraldespand", "skraldespande", "skraldespanden"),
    ("vej", "veje", "vejen"),
    ("fortov", "fortove", "fortovet"),
    ("byggesag", "byggesager", "byggesagen"),
    ("klage", "klager", "klagen"),
    ("ansøgning", "ansøgninger", "ansøgningen"),
    ("attest", "attester", "attesten"),
    ("bevilling", "bevillinger", "bevillingen"),
    ("kontanthjælp", "kontanthjælpen"),
    ("ydelse", "ydelser", "ydelsen"),
    ("tilskud", "tilskuddene", "tilskuddet"),
    ("regning", "regninger", "regningen"),
    ("faktura", "fakturaer", "fakturaen"),
    ("skat", "skatter", "skatten"),
    ("ejendomsskat", "ejendomsskatter", "ejendomsskatten"),
    ("ejendom", "ejendomme", "ejendommen"),
    ("lejlighed", "lejligheder", "lejligheden"),
    ("virksomhed", "virksomheder", "virksomheden"),
    ("myndighed", "myndigheder", "myndigheden"),
    ("borger", "borgere", "borgeren"),
    ("kommune", "kommuner", "kommunen"),
    ("tandpleje", "tandplejen"),
    ("briller", "brillerne"),
    ("kørekort", "kørekortene", "kørekortet"),
    ("pas", "passene", "passet"),
    ("sundhedskort", "sundhedskortene", "sundhedskortet"),
    ("vielse", "vielser", "vielsen"),
    ("begravelse", "begravelser", "begravelsen"),
    ("urne", "urner", "urnen"),
    ("gravsted", "gravsteder", "gravstedet"),
    ("legeplads", "legepladser", "legepladsen"),
    ("plads", "pladser", "pladsen"),
    ("træ", "træer", "træet"),
    ("hund", "hunde", "hunden"),
    ("forurening", "forureninger", "forureningen"),
    ("støj", "støjen"),
    ("kloak", "kloakker", "kloakken"),
    ("vandløb", "vandløbene", "vandløbet"),
    ("tilsyn", "tilsynene", "tilsynet"),
    ("kontrol", "kontroller", "kontrollen"),
    ("bolig", "boliger", "boligen"),
    ("lejer", "lejere", "lejeren"),
    ("indsats", "indsatser", "indsatsen"),
    ("frist", "frister", "fristen"),
    ("budget", "budgetter", "budgettet"),
    ("blanket", "blanketter", "blanketten"),
    ("kvalitet", "kvaliteten"),
    ("aktivitet", "aktiviteter", "aktiviteten"),
    ("bøde", "bøder", "bøden"),
    ("dispensation", "dispensationer", "dispensationen"),
    ("opholdstilladelse", "opholdstilladelser", "opholdstilladelsen"),
    ("sag", "sager", "sagen"),
    ("elev", "elever", "eleven"),
    ("lærer", "lærere", "læreren"),
    ("barn", "børn", "barnet", "børnene"),
    ("regel", "regler", "reglen"),
)


def forms_apart(stem: Callable[[str], str]) -> list[tuple[str, ...]]:
    """The words whose forms do not all have the same stem."""
    return [forms for forms in COMMON_WORD_FORMS if len({stem(form) for form in forms}) > 1]
