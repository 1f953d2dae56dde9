"""The texts each kind of letter starts with: plain Danish, short sentences, "du", what happens
next and whom to ask (Copenhagen's advice on plainer letters, 2017). Loaded by a data migration;
administrators edit them into new versions."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.apps.registry import Apps
from django.utils import timezone

from indgang.letters.constants import LetterKind
from indgang.letters.rendering import check_template, score

CONTACT = (
    "<p>Har du spørgsmål, er du velkommen til at kontakte mig. "
    "Skriv sagsnummeret {{ case_number }}, når du skriver til os.</p>\n"
    "<p>Venlig hilsen<br>{{ caseworker_name }}</p>"
)
# A meeting has no case yet: its letters name the meeting's number instead.
MEETING_CONTACT = (
    "<p>Har du spørgsmål, er du velkommen til at kontakte mig. "
    "Skriv mødenummeret {{ case_number }}, når du skriver til os.</p>\n"
    "<p>Venlig hilsen<br>{{ caseworker_name }}</p>"
)

DEFAULT_TEXTS: dict[str, tuple[str, str]] = {
    LetterKind.RECEIPT: (
        "Vi har modtaget din ansøgning",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Tak for din ansøgning. Vi fik den den {{ received_date|date:'j. F Y' }}.</p>\n"
        "<p>Nu ser vi den igennem. Mangler der noget, skriver vi til dig. "
        "Når vi har alt det, vi skal bruge, går vi i gang med sagen. "
        "Vi vil gerne give dig svar inden for {{ service_target_days }} dage fra da.</p>\n"
        "<p>Du skal ikke gøre noget nu.</p>\n" + CONTACT,
    ),
    LetterKind.DEFICIENCY: (
        "Vi mangler oplysninger til din ansøgning",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Vi har set din ansøgning igennem. Vi kan ikke behandle den endnu. "
        "Der mangler nogle ting.</p>\n"
        "<p>Send os dette:</p>\n"
        "<ul>{% for item in missing_items %}<li>{{ item }}</li>{% endfor %}</ul>\n"
        "<p>Vi skal have det senest den {{ deadline_date|date:'j. F Y' }}.</p>\n"
        "<p>Når vi har fået det hele, går vi i gang med sagen. "
        "Hører vi ikke fra dig, kan vi lukke sagen. Du kan så søge igen senere.</p>\n" + CONTACT,
    ),
    LetterKind.PARTY_HEARING: (
        "Du kan sige din mening, før vi træffer afgørelse",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Vi er ved at træffe en afgørelse i din sag. Før vi gør det, vil vi høre dig.</p>\n"
        "<p>{{ hearing_subject }}</p>\n"
        "<p>Du kan sende os dine bemærkninger. Vi skal have dem senest den "
        "{{ reply_by|date:'j. F Y' }}. Du må gerne ringe, hvis det er lettere for dig.</p>\n"
        "<p>Hører vi ikke fra dig, træffer vi afgørelse ud fra det, vi ved nu.</p>\n"
        "<p>Vi hører dig efter forvaltningsloven § 19.</p>\n" + CONTACT,
    ),
    LetterKind.NEIGHBOUR_HEARING: (
        "Din nabo vil bygge. Du kan sige din mening",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Vi har fået en ansøgning om at bygge tæt på dig. "
        "Du får dette brev, fordi byggeriet kan have betydning for dig.</p>\n"
        "<p>{{ project_description }}</p>\n"
        "<p>Du kan sende os dine bemærkninger. Vi skal have dem senest den "
        "{{ reply_by|date:'j. F Y' }}. Vi læser alle svar, før vi træffer afgørelse.</p>\n"
        "<p>Du skal ikke svare, hvis du ikke har bemærkninger.</p>\n" + CONTACT,
    ),
    LetterKind.DECISION: (
        "Afgørelse i din sag",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Vi har nu truffet afgørelse i din sag.</p>\n"
        "<p><strong>{{ decision_text }}</strong></p>\n"
        "{% if conditions %}<p>Der er disse vilkår:</p>\n"
        "<ul>{% for condition in conditions %}<li>{{ condition }}</li>{% endfor %}</ul>\n"
        "{% endif %}"
        "<h2>Hvorfor</h2>\n<p>{{ reasons }}</p>\n"
        "<h2>Sådan klager du</h2>\n"
        "<p>Du kan klage over afgørelsen til {{ complaint_body }}. "
        "Vi skal have din klage senest den {{ complaint_deadline|date:'j. F Y' }}.</p>\n"
        "<p>Du klager via Klageportalen. Du finder den på borger.dk og virk.dk. "
        "Du logger på med MitID. Klagen kommer først til os. "
        "Vi ser på sagen igen. Holder vi fast i afgørelsen, sender vi klagen videre.</p>\n"
        "<p>Det koster et gebyr at klage. Du får pengene tilbage, "
        "hvis du får helt eller delvist ret.</p>\n"
        "<p>Vil du gå til domstolene, skal du anlægge sag inden seks måneder "
        "fra afgørelsen.</p>\n" + CONTACT,
    ),
    LetterKind.INSPECTION_NOTICE: (
        "Vi kommer på tilsyn",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Vi kommer på tilsyn den {{ inspection_date|date:'j. F Y' }}.</p>\n"
        "<p>Det vil vi gerne se på:</p>\n"
        "<ul>{% for point in agenda %}<li>{{ point }}</li>{% endfor %}</ul>\n"
        "<p>Det er en god idé, at en, der kender stedet, er med. "
        "Passer tiden ikke, så ring til os, og vi finder en ny.</p>\n"
        "<p>Efter besøget får du en rapport fra os.</p>\n" + CONTACT,
    ),
    LetterKind.INSPECTION_REPORT: (
        "Rapport fra vores tilsyn",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Tak for besøget den {{ inspection_date|date:'j. F Y' }}. "
        "Her er, hvad vi så.</p>\n"
        "{% if findings %}<ul>{% for finding in findings %}<li>{{ finding }}</li>{% endfor %}</ul>"
        "{% else %}<p>Vi fandt intet, du skal rette.</p>{% endif %}\n"
        "<p>Det sker nu: {{ next_steps }}</p>\n" + CONTACT,
    ),
    LetterKind.ENFORCEMENT_NOTICE: (
        "Du skal rette forhold på din ejendom",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Vi har set, at reglerne ikke er overholdt. Det drejer sig om:</p>\n"
        "<ul>{% for violation in violations %}<li>{{ violation }}</li>{% endfor %}</ul>\n"
        "<p>Vi indskærper, at du skal rette det. "
        "Det skal være sket senest den {{ deadline_date|date:'j. F Y' }}. "
        "Skriv til os, når det er gjort.</p>\n"
        "<p>En indskærpelse er ikke en afgørelse. Du kan derfor ikke klage over den. "
        "Er forholdene ikke rettet til tiden, kan vi give dig et påbud.</p>\n" + CONTACT,
    ),
    # KL's PIXI book (forhåndsdialog): the receipt lists the material to send before the meeting.
    LetterKind.MEETING_RECEIPT: (
        "Din tid til forhåndsdialog",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Tak fordi du har booket et møde{% if task_title %} om {{ task_title }}{% endif %}. "
        "Vi ses den {{ meeting_start|date:'j. F Y' }} kl. {{ meeting_start|time:'H.i' }}.</p>\n"
        "{% if is_video %}<p>Mødet er et videomøde. Du får et link, før vi ses.</p>"
        "{% else %}<p>Mødet er her: {{ meeting_place }}.</p>{% endif %}\n"
        "{% if staff_names %}<p>Du mødes med:</p>\n"
        "<ul>{% for name in staff_names %}<li>{{ name }}</li>{% endfor %}</ul>{% endif %}\n"
        "{% if checklist %}<p>Husk at sende os dette før mødet. "
        "Det skal også være med i din ansøgning:</p>\n"
        "<ul>{% for item in checklist %}<li>{{ item }}</li>{% endfor %}</ul>\n"
        "<p>Når vi har fået det, ringer vi til dig. "
        "Så taler vi om, hvad din sag handler om.</p>{% endif %}\n"
        "<p>Passer tiden ikke, så ring til os, og vi finder en ny.</p>\n" + MEETING_CONTACT,
    ),
    LetterKind.MEETING_SUMMARY: (
        "Resume af vores møde",
        "<p>Kære {{ recipient_name }}</p>\n"
        "<p>Tak for mødet den {{ meeting_start|date:'j. F Y' }}"
        "{% if task_title %} om {{ task_title }}{% endif %}.</p>\n"
        "<p>Vi aftalte, at din ansøgning skal indeholde dette:</p>\n"
        "<ul>{% for item in summary_items %}<li>{{ item }}</li>{% endfor %}</ul>\n"
        "<p>Er det hele med, kan vi gå i gang med sagen, så snart vi får den. "
        "Skriv mødenummeret {{ case_number }} i ansøgningen.</p>\n" + MEETING_CONTACT,
    ),
}


def load_default_texts(apps: Apps, kinds: Collection[str] | None = None) -> None:
    """Give each kind (of `kinds`, else every kind) without a template version its default text
    as version 1; for data migrations, with their historical models."""
    template_model = apps.get_model("letters", "LetterTemplate")
    version_model = apps.get_model("letters", "LetterTemplateVersion")
    now = timezone.now()
    for kind, (title, body) in DEFAULT_TEXTS.items():
        if kinds is not None and kind not in kinds:
            continue
        check_template(kind=kind, title=title, body=body)
        template, _created = template_model.objects.get_or_create(kind=kind)
        if not version_model.objects.filter(template=template).exists():
            version_model.objects.create(
                template=template,
                number=1,
                title=title,
                body=body,
                lix=Decimal(str(score(kind=kind, body=body))),
                created_at=now,
            )
