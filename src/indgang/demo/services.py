"""Load a working, populated demo: organisation, staff, KLE, task catalogue and contacts.

Every write goes through the domain services, so the demo exercises the real paths.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.catalogue.services import (
    add_summary_templates,
    import_kle,
    import_kle_keywords,
    import_task_catalogue,
)
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact, Thread
from indgang.contacts.services import NewContact, register_contact
from indgang.demo.cases import load_cases_demo
from indgang.demo.deadlines import load_deadlines_demo
from indgang.demo.meetings import load_meetings_demo
from indgang.demo.people import fictitious_cpr, person_name
from indgang.demo.queue import load_queue_demo
from indgang.demo.simulate import FunnelWriter, SimulationReport, simulate
from indgang.knowledge.demo import load_knowledge_demo
from indgang.organisation.constants import Role
from indgang.organisation.models import Department, Unit
from indgang.organisation.selectors import get_scope
from indgang.organisation.services import (
    ensure_department,
    ensure_municipality,
    ensure_staff_user,
    ensure_unit,
)
from indgang.parties.services import update_party
from indgang.search.services import reindex_all
from indgang.triage.demo import seed_triage

DATA = Path(__file__).parent / "data"
PASSWORD = "indgang-demo"  # noqa: S105 - the demo's published password
CONTACTS = 400
# The simulated year behind the statistics: small enough to load in seconds on SQLite.
DEMO_YEAR_CONTACTS = 12_000
DEMO_YEAR_DAYS = 365

# (abbreviation, department, units: the first handles the department's tasks)
DEPARTMENTS = [
    ("KBS", "Københavns Borgerservice", ["Kontaktcenter", "Borgerservicecenter Nørrebro"]),
    ("BTF", "Bygge- og Teknikforvaltningen", ["Vej og Park", "Byggesager"]),
    ("FAF", "Familie- og Arbejdsmarkedsforvaltningen", ["Ydelser"]),
    ("KFF", "Kultur- og Fritidsforvaltningen", ["Kultur og fritid"]),
    ("KSR", "Københavns Skatter og Registrering", ["Folkeregister og skat"]),
    ("KI", "Københavns Information", ["Information"]),
    ("MFF", "Miljø- og Forsyningsforvaltningen", ["Miljøtilsyn"]),
    ("SUF", "Sundheds- og Omsorgsforvaltningen", ["Pension og hjælpemidler"]),
    ("UUF", "Uddannelses- og Ungdomsforvaltningen", ["Skole og uddannelse"]),
    ("Stat", "Statslige opgaver i borgerservice", ["Pas, kørekort og skat"]),
]
FRONTLINE = {"KBS"}

# (user name, full name, roles as (role, department, unit name or None))
STAFF: list[tuple[str, str, list[tuple[Role, str, str | None]]]] = [
    ("skranke", "Mette Jensen", [(Role.FRONTLINE, "KBS", "Kontaktcenter")]),
    ("byg", "Lars Nielsen", [(Role.CASEWORKER, "BTF", "Byggesager")]),
    (
        "leder",
        "Hanne Larsen",
        [(Role.MANAGER, "KBS", "Kontaktcenter"), (Role.MANAGER, "BTF", None)],
    ),
    ("admin", "Søren Admin", [(Role.ADMIN, "KBS", "Kontaktcenter")]),
]

# Channel mix of an ordinary week (KomHen counting week shares, rounded).
CHANNEL_WEIGHTS: dict[Channel, float] = {
    Channel.PHONE: 36,
    Channel.EMAIL: 18,
    Channel.SELFSERVICE: 20,
    Channel.PERSONAL: 11,
    Channel.WEB: 8,
    Channel.LETTER: 4,
    Channel.CHAT: 2,
    Channel.SMS: 1,
}
COMPANIES = [
    ("Nørrebro Tømrer ApS", "13585490"),
    ("Valby Grill I/S", "29604010"),
    ("Amager Byg og Anlæg A/S", "10403782"),
]
# The building caseworker's (byg) own stream: questions the front line forwards to Byggesager,
# and calls the unit takes itself. (task title, summary)
BUILDING_CONTACTS = [
    ("Byggesager", "Vil bygge carport på 40 m²: skal der søges byggetilladelse?"),
    ("Byggesager", "Spørger til status på ansøgning om tagterrasse."),
    ("Byggesager", "Nabo klager over støj og stillads fra byggeri i gården."),
    ("Byggesager", "Har fået partshøring om tilbygning og vil gøre indsigelse."),
    ("Byggesager", "Mangler tegninger til ansøgningen: hvilke skal sendes?"),
    ("Byggesager", "Vil vide, om kælderen må indrettes til beboelse."),
    ("BBR", "BBR-meddelelsen viser forkert boligareal efter ombygning."),
    ("Lokalplaner og byfornyelsesplaner", "Må der bygges en etage mere efter lokalplanen?"),
]
BUILDING_CONTACT_COUNT = 24
BUILDING_CONTACT_DAYS = 10
BUILDING_CITIZENS = 12

SUMMARIES = [
    "Spørger til {task}: hvad skal jeg gøre?",
    "Vil gerne vide, hvor langt min sag om {task} er.",
    "Har brug for hjælp til ansøgning om {task}.",
    "Klager over behandlingen af {task}.",
    "Har fået brev om {task} og forstår det ikke.",
]

# The front desk's ready summaries for common calls, per (task, department).
SUMMARY_TEMPLATES: dict[tuple[str, str], list[str]] = {
    ("Pas og kørekort", "Stat"): [
        "Spørger om fornyelse af pas: bestil tid på kk.dk, medbring gammelt pas og billede.",
        "Spørger om kørekort: vejledt om lægeattest og tidsbestilling.",
        "Har mistet sit pas: vejledt om anmeldelse til politiet og nyt pas.",
    ],
    ("Folkeregister (flytteanmeldelser)", "KSR"): [
        "Flytter: vejledt om flytteanmeldelse på borger.dk senest 5 dage efter flytning.",
        "Spørger om flytning til udlandet: vejledt om udrejse og sygesikring.",
    ],
    ("Folkeregister (nyt sygesikringskort)", "KSR"): [
        "Har mistet sundhedskortet: bestilt nyt på borger.dk.",
        "Spørger om skift af læge: vejledt om valg af læge på borger.dk.",
    ],
    ("Byggesager", "BTF"): [
        "Spørger om byggetilladelse til carport/garage: henvist til Byg og Miljø.",
        "Vil høre, hvor langt ansøgningen om byggetilladelse er.",
        "Spørger om regler for tilbygning: sendt videre til Byggesager.",
    ],
    ("Rotter", "MFF"): [
        "Anmelder rotter på grunden: anmeldelse oprettet.",
        "Spørger om rottebekæmpelse i kloak: sendt videre til Miljøtilsyn.",
    ],
}

Progress = Callable[[str], None]


def load_organisation(
    *, kle_path: Path, progress: Progress, keywords_path: Path | None = None
) -> tuple[dict[str, Department], dict[tuple[str, str], Unit], list[User]]:
    """The demo's municipality: departments, units, staff, KLE and the task catalogue."""
    municipality = ensure_municipality(code="101", name="Københavns Kommune")
    departments: dict[str, Department] = {}
    units: dict[tuple[str, str], Unit] = {}
    for abbreviation, name, unit_names in DEPARTMENTS:
        department = ensure_department(
            municipality=municipality, abbreviation=abbreviation, name=name
        )
        departments[abbreviation] = department
        for unit_name in unit_names:
            units[abbreviation, unit_name] = ensure_unit(
                department=department, name=unit_name, is_frontline=abbreviation in FRONTLINE
            )
    progress(
        _("Organisation: %(departments)d departments, %(units)d units")
        % {"departments": len(departments), "units": len(units)}
    )
    users = [
        ensure_staff_user(
            username=username,
            password=PASSWORD,
            full_name=full_name,
            roles=[
                (role, departments[dept], units[dept, unit] if unit else None)
                for role, dept, unit in roles
            ],
        )
        for username, full_name, roles in STAFF
    ]
    User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    report = import_kle(path=kle_path)
    progress(
        _("KLE: %(topics)d topics, %(active)d active")
        % {"topics": report.topics, "active": report.active_topics}
    )
    if keywords_path is not None:
        for line in import_kle_keywords(path=keywords_path).lines():
            progress(line)
    count = import_task_catalogue(path=DATA / "copenhagen_tasks.csv", departments=departments)
    _assign_task_units(departments, units)
    for (title, abbreviation), texts in SUMMARY_TEMPLATES.items():
        add_summary_templates(
            task=Task.objects.get(title=title, department=departments[abbreviation]), texts=texts
        )
    progress(_("Task catalogue: %(count)d tasks") % {"count": count})
    return departments, units, users


def load_demo(
    *,
    kle_path: Path,
    progress: Progress,
    keywords_path: Path | None = None,
    now: dt.datetime | None = None,
) -> list[User]:
    """Load (or refresh) the demo; contacts are added only to an empty register. With
    `keywords_path`, OS2KLE's keyword lists too."""
    now = now or timezone.now()
    departments, units, users = load_organisation(
        kle_path=kle_path, progress=progress, keywords_path=keywords_path
    )
    if not Contact.objects.exists():
        invent_persona_contacts(users=users, units=units, now=now)
        load_queue_demo(
            receptionist=users[0],
            centre=units["KBS", "Borgerservicecenter Nørrebro"],
            now=now,
            progress=progress,
        )
        year = simulate_demo_year(now=now)
        progress(
            _("A simulated year: %(contacts)d contacts from %(citizens)d synthetic citizens")
            % {"contacts": year.contacts, "citizens": year.citizens}
        )
    progress(_("Contacts: %(count)d") % {"count": Contact.objects.count()})
    load_deadlines_demo(now=now, progress=progress)
    load_cases_demo(
        caseworker=users[1],
        manager=users[2],
        unit=units["BTF", "Byggesager"],
        now=now,
        progress=progress,
    )
    load_meetings_demo(
        caseworker=users[1],
        booker=users[0],
        unit=units["BTF", "Byggesager"],
        now=now,
        progress=progress,
    )
    seed_triage(registrar=users[0], progress=progress, now=now)
    load_knowledge_demo(editor=users[-1], now=now, progress=progress)
    # The articles, tasks and KLE entries are searchable once all are written.
    report = reindex_all(now=now)
    progress(
        _("Search index: %(documents)d documents, %(words)d words")
        % {"documents": report.documents, "words": report.words}
    )
    return users


def invent_persona_contacts(
    *, users: list[User], units: dict[tuple[str, str], Unit], now: dt.datetime
) -> None:
    """The personas' own contacts of the last weeks, as `load_organisation` returns its users
    and units: the front line's calls (some with call-backs promised) and the building
    caseworker's stream. On any register: a benchmark adds them to a simulated one."""
    _invent_contacts(registrar=users[0], now=now)
    _invent_building_contacts(
        registrar=users[0], caseworker=users[1], unit=units["BTF", "Byggesager"], now=now
    )


def simulate_demo_year(*, now: dt.datetime, contacts: int = DEMO_YEAR_CONTACTS) -> SimulationReport:
    """A small municipality's year up to yesterday, for the statistics pages: synthetic
    citizens of their own, so the personas' pages show only the personas' contacts.

    The channel mix is the personas' (every channel, all year): seed 004's presets count no
    chat or SMS and hardly any self-service (Lejre: 18 of 30,578), which left those channels
    empty for most of the year."""
    today = timezone.localdate(now)
    days = [today - dt.timedelta(days=n) for n in range(DEMO_YEAR_DAYS, 0, -1)]
    return simulate(
        days=days,
        contacts=contacts,
        shares=CHANNEL_WEIGHTS,
        seed=2026,
        now=now,
        on_self_service=FunnelWriter(seed=2026, now=now),
    )


def _assign_task_units(
    departments: dict[str, Department], units: dict[tuple[str, str], Unit]
) -> None:
    for abbreviation, _name, unit_names in DEPARTMENTS:
        Task.objects.filter(department=departments[abbreviation], unit__isnull=True).update(
            unit=units[abbreviation, unit_names[0]]
        )
    Task.objects.filter(title="Byggesager").update(unit=units["BTF", "Byggesager"])


def _invent_contacts(*, registrar: User, now: dt.datetime) -> None:
    rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not security
    scope = get_scope(user=registrar)
    tasks = list(Task.objects.select_related("unit").prefetch_related("kle_topics"))
    parties = [("cpr", fictitious_cpr(rng), person_name(rng)) for _ in range(60)]
    parties += [("cvr", cvr, name) for name, cvr in COMPANIES]
    channels, weights = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
    threads: dict[str, list[Thread]] = {}
    moments = sorted(_office_time(rng, now) for _ in range(CONTACTS))
    for received_at in moments:
        kind, number, name = rng.choice(parties)
        task = rng.choice(tasks)
        outcome = (
            rng.choice([Outcome.RESOLVED_AT_FIRST_CONTACT] * 3 + [Outcome.CALLBACK_PROMISED])
            if task.frontline_may_resolve
            else rng.choice([Outcome.FORWARDED, Outcome.FORWARDED, Outcome.CASE_CREATED])
        )
        earlier = threads.get(number, [])
        # A quarter of the time the citizen follows up on an earlier matter.
        thread = rng.choice(earlier) if earlier and rng.random() < 0.25 else None
        contact = register_contact(
            new=NewContact(
                channel=rng.choices(channels, weights)[0],
                received_at=received_at,
                summary=rng.choice(SUMMARIES).format(task=task.title.lower()),
                cpr=number if kind == "cpr" else None,
                cvr=number if kind == "cvr" else None,
                party_name=name,
                task=task,
                # Forwarded contacts and new cases belong to the task's unit.
                unit=task.unit if outcome in (Outcome.FORWARDED, Outcome.CASE_CREATED) else None,
                outcome=outcome,
                thread=thread,
                duration_seconds=rng.randint(60, 900),
            ),
            registered_by=registrar,
            registrar=scope,
            now=now,
        )
        if not earlier and contact.party is not None:
            update_party(
                party=contact.party,
                name=name,
                email=f"{name.split()[0].lower()}.{number[-4:]}@example.dk",
                phone=f"+45 {rng.randint(20000000, 99999999)}",
                address=f"Nørrebrogade {rng.randint(1, 200)}, 2200 København N",
            )
        if thread is None:
            threads.setdefault(number, []).append(contact.thread)


def _invent_building_contacts(
    *, registrar: User, caseworker: User, unit: Unit, now: dt.datetime
) -> None:
    """Building questions for the building caseworker's list, 360s and deadlines: the random
    mix above gives Byggesager one task in 138, so it saw hardly a building contact. Two in
    three are forwarded by the front line; the rest are calls the unit resolved itself."""
    rng = random.Random(2027)  # noqa: S311 - reproducible demo data, not security
    tasks = {task.title: task for task in Task.objects.filter(department=unit.department)}
    parties = [("cpr", fictitious_cpr(rng), person_name(rng)) for _ in range(BUILDING_CITIZENS)]
    parties += [("cvr", cvr, name) for name, cvr in COMPANIES if "Byg" in name or "Tømrer" in name]
    moments = sorted(
        _office_time(rng, now, days=BUILDING_CONTACT_DAYS) for _ in range(BUILDING_CONTACT_COUNT)
    )
    for number, received_at in enumerate(moments):
        kind, identifier, name = rng.choice(parties)
        title, summary = rng.choice(BUILDING_CONTACTS)
        by_unit = number % 3 == 2
        by = caseworker if by_unit else registrar
        register_contact(
            new=NewContact(
                channel=rng.choice([Channel.PHONE, Channel.EMAIL, Channel.PERSONAL]),
                received_at=received_at,
                summary=summary,
                cpr=identifier if kind == "cpr" else None,
                cvr=identifier if kind == "cvr" else None,
                party_name=name,
                task=tasks[title],
                unit=None if by_unit else unit,
                outcome=Outcome.RESOLVED_AT_FIRST_CONTACT if by_unit else Outcome.FORWARDED,
                duration_seconds=rng.randint(120, 900),
            ),
            registered_by=by,
            registrar=get_scope(user=by),
            now=now,
        )


def _office_time(rng: random.Random, now: dt.datetime, *, days: int = 90) -> dt.datetime:
    day = (now - dt.timedelta(days=rng.randint(0, days - 1))).astimezone(
        timezone.get_current_timezone()
    )
    moment = day.replace(
        hour=rng.randint(8, 15), minute=rng.randint(0, 59), second=0, microsecond=0
    )
    return min(moment, now)
