"""Seed the knowledge base for the demo: articles from the seed documents and KLE guidance,
a guide for every task, a few stale articles and measured knowledge use on resolved contacts.

Everything is written through the services; running it again adds only what is missing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from indgang.catalogue.models import KleEntry, Task
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.knowledge.constants import Audience
from indgang.knowledge.models import Article, Guide, KnowledgeUse
from indgang.knowledge.services import (
    ArticleData,
    GuideData,
    Link,
    create_article,
    flag_stale_articles,
    record_knowledge_used,
    save_guide,
)
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope, get_scope

Progress = Callable[[str], None]
BORGER_DK = "https://www.borger.dk"


@dataclass(frozen=True)
class SeedArticle:
    title: str
    answer: str
    unit: tuple[str, str]  # (department abbreviation, unit name)
    audience: Audience
    tasks: tuple[str, ...] = ()
    kle: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    stale: bool = False  # written over a year ago and not reviewed since


ARTICLES = [
    SeedArticle(
        title="Aktindsigt: hvornår får man svar?",
        answer=(
            "En anmodning om aktindsigt skal besvares inden 7 arbejdsdage efter, at den er "
            "modtaget (offentlighedsloven § 36, stk. 2). Kan fristen ikke holdes, får den, der "
            "har bedt om aktindsigt, besked om hvorfor, og hvornår svaret kommer. Klager over "
            "afslag på aktindsigt sendes videre til klageinstansen inden 7 arbejdsdage (§ 37)."
        ),
        unit=("MFF", "Miljøtilsyn"),
        audience=Audience.PUBLIC,
        tasks=("Aktindsigt",),
        kle=("00.07.03",),
        links=(Link("Anmod om aktindsigt", f"{BORGER_DK}/aktindsigt"),),
    ),
    SeedArticle(
        title="Nyt sygesikringskort (sundhedskort): bestil eller erstat et bortkommet kort",
        answer=(
            "Et nyt sygesikringskort bestilles på borger.dk med MitID. Er kortet bortkommet "
            "eller ødelagt, bestilles et erstatningskort på samme måde. Har borgeren ikke "
            "MitID, kan borgerservice bestille kortet ved personligt fremmøde eller telefonisk. "
            "Kortet sendes til folkeregisteradressen. Valg eller skift af læge sker samme sted."
        ),
        unit=("KSR", "Folkeregister og skat"),
        audience=Audience.PUBLIC,
        tasks=("Folkeregister (nyt sygesikringskort)", "Sygesikring"),
        kle=("29.03.04",),
        links=(Link("Bestil sundhedskort", f"{BORGER_DK}/sundhedskort"),),
    ),
    SeedArticle(
        title="Rotter i haven eller kælderen: anmeld rotter",
        answer=(
            "Kommunen har ansvaret for en effektiv rottebekæmpelse (miljøbeskyttelsesloven "
            "§ 17 og bekendtgørelsen om bekæmpelse af rotter). Grundejeren skal anmelde rotter "
            "til kommunen, og det gøres enklest på kommunens selvbetjening. Kommunens "
            "rottebekæmper kommer ud og bekæmper rotterne. Spørg om rotterne ses ude (haven, "
            "skuret) eller inde (kælder, køkken): rotter inde haster."
        ),
        unit=("MFF", "Miljøtilsyn"),
        audience=Audience.PUBLIC,
        tasks=("Rotter",),
        kle=("09.13.01",),
        links=(Link("Anmeld rotter", "https://www.kk.dk/rotter"),),
    ),
    SeedArticle(
        title="Carport eller garage: skal man søge byggetilladelse?",
        answer=(
            "Garager, carporte, udhuse, drivhuse og overdækkede terrasser på højst 50 m² er "
            "mindre byggearbejder. De kan efter bygningsreglementet opføres efter anmeldelse "
            "til kommunen i stedet for en egentlig byggetilladelse (KLE 02.34.04). Større byggeri "
            "kræver byggetilladelse efter byggeloven (KLE 02.34.02). Servicemålet for simple "
            "konstruktioner er 40 kalenderdage fra ansøgningen er fuldt oplyst."
        ),
        unit=("BTF", "Byggesager"),
        audience=Audience.PUBLIC,
        tasks=("Byggesager",),
        kle=("02.34.02", "02.34.04"),
        links=(Link("Byg og Miljø", "https://www.bygogmiljoe.dk"),),
    ),
    SeedArticle(
        title="Servicemål for byggesager",
        answer=(
            "KL og regeringen aftalte i 2016 servicemål for byggesager, regnet i kalenderdage "
            "fra ansøgningen er fuldt oplyst: simple konstruktioner 40 dage, enfamiliehuse 40, "
            "industri og lager 50, etagebyggeri til erhverv 55 og etagebyggeri til bolig 60."
        ),
        unit=("BTF", "Byggesager"),
        audience=Audience.STAFF,
        tasks=("Byggesager",),
        kle=("02.34.02",),
    ),
    SeedArticle(
        title="Forhåndsdialog i byggesager: hvad skal ansøgeren have med?",
        answer=(
            "Tilbyd et forhåndsdialogmøde og oplys, hvilket materiale der skal sendes før "
            "mødet. Enkle sager kræver herefter ikke yderligere vejledning. I komplekse sager "
            "laves en leveranceliste: 'husk at dette skal være med i ansøgningen'. Gør klart, "
            "hvad kommunen kan vejlede om, og hvad der ligger uden for kommunens virke. "
            "Mødet afsluttes med et møderesume."
        ),
        unit=("BTF", "Byggesager"),
        audience=Audience.STAFF,
        tasks=("Byggesager",),
        kle=("02.34.02",),
    ),
    SeedArticle(
        title="Telefonbeskeder: ring tilbage inden for et døgn",
        answer=(
            "Kanalstrategien: telefonopkald besvares altid, uden unødig omstilling. Der ringes "
            "tilbage på telefonbeskeder inden for et døgn, og ubesvarede opkald går på "
            "voicemail inden for fem ring. Giv aktiv service, så borgeren ikke selv skal ringe "
            "igen, og gør opmærksom på digital selvbetjening, når det giver mening."
        ),
        unit=("KBS", "Kontaktcenter"),
        audience=Audience.STAFF,
        tasks=("Telefonekspedition – Call center",),
        stale=True,
    ),
    SeedArticle(
        title="Kanalstrategi: hvilken kanal skal borgeren bruge?",
        answer=(
            "Kanalerne prioriteres: 1. web og digitale løsninger, 2. telefon, 3. personlig "
            "henvendelse. En henvendelse koster kommunen ca.: digital selvbetjening 5 kr., "
            "telefon 40 kr., e-mail 55 kr., brev 60 kr., personligt fremmøde 75 kr. (KL, "
            "Kanalpriser i danske kommuner 2011). Vis borgeren selvbetjeningen, og hjælp med "
            "den første gang (medbetjening), så næste henvendelse kan klares digitalt."
        ),
        unit=("KBS", "Kontaktcenter"),
        audience=Audience.STAFF,
        stale=True,
    ),
    SeedArticle(
        title="Straksafklaring: løs henvendelsen ved første kontakt",
        answer=(
            "Hvor borgeren henvender sig, skal der i videst muligt omfang ske en straksafklaring: "
            "medarbejderen ser sagen i sin helhed og giver svar ved første kontakt. Drejer "
            "henvendelsen sig om en anden myndigheds område, vejledes og henvises borgeren dertil. "
            "Marker i Indgang, hvilken artikel eller guide der hjalp."
        ),
        unit=("KBS", "Kontaktcenter"),
        audience=Audience.STAFF,
    ),
]

# Hand-written guides for the tasks citizens ask about most; every other task gets a guide
# drawn from the catalogue itself (who handles it, whether the front line may resolve it).
GUIDES: dict[str, GuideData] = {
    "Rotter": GuideData(
        what_to_ask="Hvor er rotterne set (inde eller ude)? Adresse, og er du ejer eller lejer?",
        what_to_bring="Adressen. Lejere kontakter også udlejer.",
        self_service="Anmeld rotter på kommunens hjemmeside; anmeldelsen går direkte til "
        "rottebekæmperen.",
        when_to_forward="Rotter inde i boligen: send straks til Miljøtilsyn.",
    ),
    "Aktindsigt": GuideData(
        what_to_ask="Hvilken sag eller hvilke dokumenter drejer det sig om?",
        what_to_bring="Så præcis en beskrivelse af sagen som muligt; sagsnummer hvis kendt.",
        self_service="Anmodningen kan sendes digitalt via borger.dk.",
        when_to_forward="Altid: registrer modtagelsen i dag; svarfristen er 7 arbejdsdage.",
    ),
    "Folkeregister (nyt sygesikringskort)": GuideData(
        what_to_ask="Er kortet bortkommet, ødelagt, eller er der sket en flytning?",
        what_to_bring="MitID, eller legitimation ved personligt fremmøde.",
        self_service="Bestil sundhedskort på borger.dk.",
        when_to_forward="Sjældent: kun ved tvivl om bopæl eller EU-sygesikring.",
    ),
    "Byggesager": GuideData(
        what_to_ask="Hvad skal bygges, hvor stort (m²), og er det en carport, garage eller "
        "udhus under 50 m²?",
        what_to_bring="Situationsplan, tegninger og matrikelnummer.",
        self_service="Ansøg eller anmeld på Byg og Miljø (bygogmiljoe.dk).",
        when_to_forward="Konkrete spørgsmål om en sag eller forhåndsdialog: send til Byggesager.",
    ),
}


def load_knowledge_demo(*, editor: User, now: dt.datetime, progress: Progress) -> None:
    """Seed articles and guides if missing, flag stale articles, record use."""
    scope = get_scope(user=editor)
    units = {
        (u.department.abbreviation, u.name): u for u in Unit.objects.select_related("department")
    }
    tasks = {task.title: task for task in Task.objects.select_related("unit").order_by("pk")}
    existing = set(Article.objects.values_list("title", flat=True))
    written_long_ago = now - dt.timedelta(days=430)
    for seed in ARTICLES:
        if seed.title in existing:
            continue
        moment = written_long_ago if seed.stale else now
        create_article(
            data=ArticleData(
                title=seed.title,
                answer=seed.answer,
                owner_unit=units[seed.unit],
                review_on=(moment + dt.timedelta(days=365)).date(),
                audience=seed.audience,
                links=seed.links,
                tasks=[tasks[title] for title in seed.tasks if title in tasks],
                kle_topics=list(KleEntry.objects.filter(number__in=seed.kle)),
            ),
            by=editor,
            scope=scope,
            now=moment,
        )
    _kle_articles(editor=editor, scope=scope, now=now, existing=existing)
    _guides(editor=editor, scope=scope, now=now, tasks=list(tasks.values()))
    flagged = flag_stale_articles(today=now.date(), now=now)
    _record_use(editor=editor, now=now)
    progress(
        _("Knowledge base: %(articles)d articles, %(guides)d guides, %(flagged)d newly stale")
        % {
            "articles": Article.objects.count(),
            "guides": Guide.objects.count(),
            "flagged": flagged,
        }
    )


def _kle_articles(*, editor: User, scope: Scope, now: dt.datetime, existing: set[str]) -> None:
    """One staff article per KLE topic of the catalogue that has guidance: what it covers."""
    topics = (
        KleEntry.objects.filter(tasks__isnull=False, retired_on__isnull=True)
        .exclude(guidance="")
        .prefetch_related("tasks__unit")
        .distinct()
        .order_by("number")
    )
    for topic in topics:
        title = f"Hvad dækker KLE {topic.number} {topic.title}?"
        owners = [task.unit for task in topic.tasks.all() if task.unit is not None]
        if title in existing or not owners:
            continue
        create_article(
            data=ArticleData(
                title=title,
                answer=topic.guidance,
                owner_unit=owners[0],
                review_on=(now + dt.timedelta(days=365)).date(),
                tasks=list(topic.tasks.all()),
                kle_topics=[topic],
            ),
            by=editor,
            scope=scope,
            now=now,
        )


def _guides(*, editor: User, scope: Scope, now: dt.datetime, tasks: list[Task]) -> None:
    have = set(Guide.objects.values_list("task_id", flat=True))
    for task in tasks:
        if task.pk in have or not task.is_active:
            continue
        data = GUIDES.get(task.title) or _catalogue_guide(task)
        save_guide(
            task=task,
            data=GuideData(
                what_to_ask=data.what_to_ask,
                what_to_bring=data.what_to_bring,
                self_service=data.self_service,
                when_to_forward=data.when_to_forward,
                forward_to=task.unit,
            ),
            by=editor,
            scope=scope,
            now=now,
        )


def _catalogue_guide(task: Task) -> GuideData:
    unit = str(task.unit) if task.unit else task.department.name
    # Demo content is Danish data, as the KLE titles are; it is not translated.
    if task.frontline_may_resolve:
        forward = f"Løs henvendelsen straks; send kun videre til {unit} ved tvivl."
    else:
        forward = f"Registrer henvendelsen og send den videre til {unit}."
    return GuideData(
        what_to_ask="Hvad drejer spørgsmålet sig om, og er der en tidligere sag?",
        self_service=task.self_service_url,
        when_to_forward=forward,
    )


def _record_use(*, editor: User, now: dt.datetime) -> None:
    """On an empty record, mark the guide as used on about half the resolved demo contacts."""
    if KnowledgeUse.objects.exists():
        return
    rng = random.Random(3)  # noqa: S311 - reproducible demo data, not security
    guides = dict(Guide.objects.values_list("task_id", "pk"))
    resolved = Contact.objects.filter(
        outcome=Outcome.RESOLVED_AT_FIRST_CONTACT, task__isnull=False
    ).order_by("pk")
    for contact in resolved:
        guide_id = guides.get(contact.task_id or 0)
        if guide_id is not None and rng.random() < 0.5:
            record_knowledge_used(
                contact=contact,
                guide=Guide.objects.get(pk=guide_id),
                by=editor,
                now=now,
            )
