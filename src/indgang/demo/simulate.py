"""A realistic synthetic year of contacts, written straight into the register.

Volumes and channel shares come from seed 004 (CBS working paper, 2011): table 4 gives six
municipalities' yearly contacts per channel, table 5 the national estimate (165 M contacts for
~5.5 M Danes: 30 a year per inhabitant). Days follow the working-day calendar: phone, personal
and letter contacts arrive only on working days within office hours, digital ones around the
clock, every day, fewer at weekends and on closed days.

The year is generated day by day (a few numpy arrays) and written a week, or 50,000 contacts, at a
time, so memory stays flat however large the year is: one COPY per table (PostgreSQL) or batched
executemany (SQLite); on PostgreSQL a thread with its own connection writes each batch while the
next is generated. Ids come from reserving blocks of each table's sequence, so no row needs to be
read back. The simulator adds its contacts to the rollups itself, a batch's buckets at once (on
SQLite the triggers count them), and leaves later updates and deletes to the triggers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.workdays import COPENHAGEN, DEFAULT_CALENDAR, WorkCalendar
from indgang.contacts.constants import SUBJECT_LENGTH, Direction, Outcome
from indgang.contacts.models import Contact, Thread
from indgang.demo.bulkload import check_references, newest_ids, row_triggers_skipped
from indgang.demo.people import FIRST_NAMES, LAST_NAMES
from indgang.organisation.models import Unit
from indgang.parties.constants import PartyKind
from indgang.parties.identifiers import cpr_digest, encrypt_cpr, mask_cpr
from indgang.parties.matching import search_text
from indgang.parties.models import Party
from indgang.statistics.constants import FunnelEventKind, SolutionKind
from indgang.statistics.funnels import FunnelEventIn, ensure_solution, record_funnel_events_in_bulk
from indgang.statistics.services import (
    CONTACT_INSERT_TRIGGER,
    ContactBuckets,
    add_contact_buckets,
    counting_taken_over,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Seed 004, table 5: 165 million contacts a year for the country's ~5.5 million inhabitants.
CONTACTS_PER_INHABITANT = 30

# Seed 004, table 5 (national estimate): personal 59 M, phone 38 M, post 46 M, e-mail 20 M,
# self-service 285,000, web 1.3 M. Post is split into letters; chat and SMS were not counted.
NATIONAL_SHARES: dict[Channel, float] = {
    Channel.PERSONAL: 59_000_000,
    Channel.PHONE: 38_000_000,
    Channel.LETTER: 46_000_000,
    Channel.EMAIL: 20_000_000,
    Channel.SELFSERVICE: 285_000,
    Channel.WEB: 1_300_000,
}


@dataclass(frozen=True)
class Preset:
    """A municipality's year: inhabitants, contacts and channel shares (relative weights)."""

    name: str
    inhabitants: int
    contacts: int
    shares: dict[Channel, float] = field(default_factory=lambda: NATIONAL_SHARES)


def _by_inhabitants(name: str, inhabitants: int) -> Preset:
    return Preset(name, inhabitants, inhabitants * CONTACTS_PER_INHABITANT)


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in [
        # Seed 004, table 4, København: 10,526,000 contacts; personal 18 %, phone 36 %, post
        # and e-mail together 27 % (split here 1:2), web 19 %, self-service 100,000.
        Preset(
            "koebenhavn",
            540_000,
            10_526_000,
            {
                Channel.PERSONAL: 18,
                Channel.PHONE: 36,
                Channel.LETTER: 9,
                Channel.EMAIL: 18,
                Channel.WEB: 19,
                Channel.SELFSERVICE: 1,
            },
        ),
        # Seed 004, table 4 and table 6, Lejre's counting week (uge 20, 2010) times 52.
        Preset(
            "lejre",
            26_500,
            1_590_056,
            {
                Channel.PERSONAL: 646,
                Channel.PHONE: 5_391,
                Channel.LETTER: 3_572,
                Channel.EMAIL: 17_796,
                Channel.SELFSERVICE: 18,
                Channel.WEB: 3_155,
            },
        ),
        # Seed 004, table 4, Albertslund: personal 58,000, phone 151,000 (switchboard
        # included), letters 175,000 (outgoing, counted as letters), e-mail 15,000.
        Preset(
            "albertslund",
            27_700,
            399_000,
            {
                Channel.PERSONAL: 58_000,
                Channel.PHONE: 151_000,
                Channel.LETTER: 175_000,
                Channel.EMAIL: 15_000,
            },
        ),
        # Seed 004, table 4, Vallensbæk: personal 12,567 and phone 44,000 (of 66,567; the
        # rest unspecified, taken here as e-mail and web).
        Preset(
            "vallensbaek",
            14_800,
            66_567,
            {
                Channel.PERSONAL: 12_567,
                Channel.PHONE: 44_000,
                Channel.EMAIL: 6_000,
                Channel.WEB: 4_000,
            },
        ),
        _by_inhabitants("aarhus", 340_000),
        _by_inhabitants("odense", 200_000),
        _by_inhabitants("aalborg", 220_000),
        _by_inhabitants("landsplan", 5_500_000),
    ]
}

OFFICE_CHANNELS = frozenset({Channel.PERSONAL, Channel.PHONE, Channel.LETTER})
CHANNELS: list[Channel] = list(Channel)
# Relative volume by weekday (Monday first): Monday's queue, Friday's short opening hours.
WEEKDAY_WEIGHT = np.array([1.25, 1.05, 1.0, 1.05, 0.7, 0.3, 0.25])
# Digital contacts on a closed working day come as on a Saturday.
CLOSED_DAY_WEIGHT = 0.3
# By month: the summer holiday in July, Christmas in December.
MONTH_WEIGHT = np.array([1.1, 1.05, 1.05, 1.0, 1.0, 0.95, 0.65, 0.95, 1.05, 1.05, 1.05, 0.85])
# Digital contacts by hour of day: evenings after work, little at night.
DIGITAL_HOURS = np.array(
    [
        0.2,
        0.1,
        0.1,
        0.1,
        0.1,
        0.2,
        0.5,
        1.0,
        1.6,
        1.8,
        1.8,
        1.7,
        1.6,
        1.6,
        1.5,
        1.4,
        1.3,
        1.3,
        1.3,
        1.6,
        1.7,
        1.5,
        1.0,
        0.5,
    ]
)
# Who stays anonymous (no CPR or CVR given), by channel; self-service logs in with MitID.
ANONYMOUS = {
    Channel.PERSONAL: 0.25,
    Channel.PHONE: 0.2,
    Channel.LETTER: 0.02,
    Channel.EMAIL: 0.1,
    Channel.SELFSERVICE: 0.0,
    Channel.WEB: 0.35,
    Channel.CHAT: 0.5,
    Channel.SMS: 0.0,
}
# The channels on which the front line keeps what it resolves (see Simulator._routing).
FRONTLINE_CHANNELS = (
    Channel.PHONE,
    Channel.PERSONAL,
    Channel.CHAT,
    Channel.EMAIL,
    Channel.WEB,
    Channel.SMS,
)
COMPANY_SHARE = 0.05  # of identified contacts
CONTACTS_PER_CITIZEN = 25  # a year, on average (seed 004: 30 per inhabitant, all counted)
FOLLOW_UP = 0.25  # new matters followed up by a later contact on the same thread
FOLLOW_UP_DAYS = 14  # within this many days
OUTBOUND = {Channel.PHONE: 0.08, Channel.LETTER: 0.3, Channel.EMAIL: 0.1, Channel.SMS: 1.0}
# Median and spread (log-normal) of a phone call and a personal meeting, in seconds.
DURATION = {Channel.PHONE: (240.0, 0.7), Channel.PERSONAL: (480.0, 0.6)}
# Outcome chances: tasks the front line may resolve, and the others.
OUTCOMES = [
    Outcome.RESOLVED_AT_FIRST_CONTACT,
    Outcome.CALLBACK_PROMISED,
    Outcome.FORWARDED,
    Outcome.CASE_CREATED,
]
OUTCOME_CHANCES = {True: [0.72, 0.08, 0.15, 0.05], False: [0.15, 0.05, 0.45, 0.35]}
SUMMARIES = [
    "Spørger til {task}",
    "Vil gerne vide, hvor langt sagen om {task} er",
    "Har brug for hjælp til {task}",
    "Har fået brev om {task} og forstår det ikke",
    "Klager over behandlingen af {task}",
]
BIRTH_DAYS = (dt.date(2000, 1, 1) - dt.date(1930, 1, 1)).days  # 1930-1999
SERIAL_STEP = 1009  # coprime to 4000: distinct serials for citizens born on the same day
POOL_CHUNK = 20_000
SECONDS_PER_DAY = 86_400
# A transaction writes a week, or fewer days once it holds this many contacts: a few
# statements' cost spread over enough rows, and memory bounded (two batches at once, one being
# written while the next is generated) however large the year is.
DAYS_PER_TRANSACTION = 7
CONTACTS_PER_TRANSACTION = 50_000
# What a batch's transaction writes (the funnel events go beside it, see Simulator.run).
WRITTEN: tuple[type[models.Model], ...] = (Thread, Contact)


def simulated_row_triggers_skipped() -> AbstractContextManager[bool]:
    """Within the current transaction, where PostgreSQL lets us, the row triggers of the tables
    a simulation writes switched off meanwhile (demo.bulkload); whether they are. The caller
    has taken over the counting of its contacts and checks the references per set."""
    return row_triggers_skipped(
        inserted=[model._meta.db_table for model in WRITTEN],
        upserted=[],
        replaced=[CONTACT_INSERT_TRIGGER],
    )


class SimulationError(ValueError):
    """The database lacks what a simulation needs (tasks, a user)."""


@dataclass(frozen=True)
class SimulationReport:
    days: int
    contacts: int
    threads: int
    citizens: int
    companies: int
    seconds: float = 0.0  # the simulation's own work, without the process's start


# --------------------------------------------------------------------------------------------
# Citizens and companies
# --------------------------------------------------------------------------------------------


def pool_cpr(index: int, seed: int) -> str:
    """The CPR number of the synthetic citizen `index`: a date of birth in 1930-1999 and a
    serial below 4000 (the 1900s by the seventh digit), distinct for every index below
    BIRTH_DAYS * 4000. Fictitious: python-stdnum accepts them, nobody is known to have them."""
    day, turn = divmod(index + seed * 7919, BIRTH_DAYS)
    born = dt.date(1930, 1, 1) + dt.timedelta(days=(turn * 7 + day) % BIRTH_DAYS)
    serial = (day * SERIAL_STEP + turn) % 4000
    return f"{born:%d%m%y}{serial:04d}"


def pool_cvr(index: int, seed: int) -> str:
    """A fictitious CVR number with a valid check digit (weights 2,7,6,5,4,3,2,1; mod 11).

    Each index owns eleven consecutive seven-digit prefixes, so numbers never repeat; one of
    them always has a check digit below 10."""
    for step in range(11):
        prefix = f"{1_000_000 + ((index + seed * 131) % 800_000) * 11 + step:07d}"
        check = -sum(w * int(d) for w, d in zip((2, 7, 6, 5, 4, 3, 2), prefix, strict=True)) % 11
        if check < 10:
            return f"{prefix}{check}"
    raise AssertionError("unreachable: consecutive prefixes change the sum by 2")


def _existing(field_name: str, values: Sequence[str]) -> dict[str, int]:
    return dict(Party.objects.filter(**{f"{field_name}__in": values}).values_list(field_name, "pk"))


def ensure_party_pool(
    *, citizens: int, companies: int, seed: int, now: dt.datetime, tick: Callable[[int], object]
) -> IntArray:
    """The ids of the synthetic citizens and then companies, creating those that are missing.

    The same seed gives the same people, so a second year finds the first year's citizens."""
    ids = np.zeros(citizens + companies, dtype=np.int64)
    for start in range(0, citizens + companies, POOL_CHUNK):
        indexes = range(start, min(start + POOL_CHUNK, citizens + companies))
        rows: dict[str, dict[str, Any]] = {}
        for index in indexes:
            if index < citizens:
                cpr = pool_cpr(index, seed)
                rows[cpr_digest(cpr)] = {"kind": PartyKind.CITIZEN, "cpr": cpr, "index": index}
            else:
                cvr = pool_cvr(index - citizens, seed)
                rows[cvr] = {"kind": PartyKind.COMPANY, "cvr": cvr, "index": index}
        keys = list(rows)
        found = {**_existing("cpr_digest", keys), **_existing("cvr", keys)}
        new = [key for key in keys if key not in found]
        if new:
            with transaction.atomic():
                found.update(_write_parties(new, rows, seed=seed, now=now))
        for key, values in rows.items():
            ids[values["index"]] = found[key]
        tick(len(indexes))
    return ids


def _write_parties(
    keys: list[str], rows: dict[str, dict[str, Any]], *, seed: int, now: dt.datetime
) -> dict[str, int]:
    first = _reserve({Party: len(keys)})[Party]
    values = []
    for offset, key in enumerate(keys):
        row = rows[key]
        index = row["index"]
        if row["kind"] == PartyKind.CITIZEN:
            name = (
                f"{FIRST_NAMES[(index * 7 + seed) % len(FIRST_NAMES)]} "
                f"{LAST_NAMES[(index * 3 + seed) % len(LAST_NAMES)]}"
            )
            identifiers: tuple[str | None, ...] = (
                key,
                encrypt_cpr(row["cpr"]),
                mask_cpr(row["cpr"]),
                None,
            )
        else:
            name = f"Simuleret Virksomhed {index} ApS"
            identifiers = (None, "", "", key)
        found_by = search_text(name=name, address="", email="", phone="", cvr=identifiers[3])
        values.append(
            (first + offset, row["kind"], name, *identifiers, "", "", "", found_by, "", now)
        )
    _write(
        Party,
        [
            "id",
            "kind",
            "name",
            "cpr_digest",
            "cpr_encrypted",
            "cpr_masked",
            "cvr",
            "email",
            "phone",
            "address",
            "search_text",
            "phone_key",
            "created_at",
        ],
        values,
    )
    return {key: first + offset for offset, key in enumerate(keys)}


# --------------------------------------------------------------------------------------------
# Writing rows: ids from the sequence, COPY on PostgreSQL, executemany on SQLite
# --------------------------------------------------------------------------------------------


def _reserve(counts: dict[type[models.Model], int]) -> dict[type[models.Model], int]:
    """For each table, the first of `count` consecutive ids that no other writer will be given
    (tables with a count of 0 get none): on PostgreSQL in two statements whatever the tables."""
    wanted = {model: count for model, count in counts.items() if count}
    if not wanted:
        return {}
    tables = [model._meta.db_table for model in wanted]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The lock keeps concurrent INSERTs (which take their ids under a weaker lock)
            # from drawing ids between nextval and setval; it ends with the transaction.
            cursor.execute(
                f"LOCK TABLE {', '.join(map(connection.ops.quote_name, tables))} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
            sequence = "pg_get_serial_sequence(%s, 'id')"
            cursor.execute(
                "SELECT "  # noqa: S608 (placeholders only)
                + ", ".join(
                    [f"setval({sequence}, nextval({sequence}) + %s - 1) - %s + 1"] * len(tables)
                ),
                [
                    value
                    for table, count in zip(tables, wanted.values(), strict=True)
                    for value in (table, table, count, count)
                ],
            )
            return dict(zip(wanted, cursor.fetchone(), strict=True))
        firsts = {}
        for (model, count), table in zip(wanted.items(), tables, strict=True):
            # SQLite serialises writes (the caller's transaction holds the lock); AUTOINCREMENT
            # never reuses an id, so past the larger of its counter and the highest id, and the
            # counter moved past the block (the rows are written later, at the week's end).
            counter = "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0)"
            highest = f'COALESCE((SELECT MAX(id) FROM "{table}"), 0)'  # noqa: S608
            cursor.execute(f"SELECT MAX({counter}, {highest}) + 1", [table])
            first: int = cursor.fetchone()[0]
            last = first + count - 1
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
            if not cursor.rowcount:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last]
                )
            firsts[model] = first
    return firsts


def _write(model: type[models.Model], columns: list[str], rows: Sequence[Sequence[Any]]) -> None:
    table = model._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608


def _check_references_at_once() -> None:
    """Check the foreign keys of each COPY as it ends rather than all at COMMIT: PostgreSQL's
    queue of deferred checks for a week's rows cost about twice the checks made at once.
    Every row here is written after the rows it refers to."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _copy_text(model: type[models.Model], columns: list[str], blocks: Iterable[str]) -> None:
    """COPY blocks of text-format lines (tab-separated, \\N for NULL) into the table."""
    table = model._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
    ):
        for block in blocks:
            copy.write(block)


# --------------------------------------------------------------------------------------------
# The catalogue as arrays
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The active tasks, one array entry each (0 = none for ids), and each channel's chances."""

    task_ids: IntArray
    kle_ids: IntArray
    unit_ids: IntArray
    department_ids: IntArray
    frontline_may_resolve: npt.NDArray[np.bool_]
    summaries: list[list[str]]  # per task, the summary variants
    chances: dict[int, FloatArray]  # per channel index, each task's chance
    frontline: tuple[int, int]  # the front line's (unit, department), (0, 0) if none

    @classmethod
    def load(cls, seed: int) -> Catalogue:
        tasks = list(Task.objects.filter(is_active=True).prefetch_related("kle_topics"))
        if not tasks:
            raise SimulationError(_("The task catalogue is empty: import it first."))
        rng = np.random.default_rng(seed)
        # A few tasks make most of the contacts (Zipf-like), in an order fixed by the seed.
        popularity = 1.0 / np.arange(1, len(tasks) + 1) ** 0.9
        popularity = popularity[rng.permutation(len(tasks))]
        chances = {}
        for number, channel in enumerate(CHANNELS):
            offered = np.array([channel in task.channels for task in tasks])
            # A channel's contacts favour the tasks that offer it (self-service only those).
            weight = popularity * np.where(
                offered, 4.0, 0.0 if channel == Channel.SELFSERVICE else 1.0
            )
            if weight.sum() == 0:
                weight = popularity
            chances[number] = weight / weight.sum()
        frontline = Unit.objects.filter(is_frontline=True).order_by("pk").first()

        def topic(task: Task) -> int:
            topics = sorted(task.kle_topics.all(), key=lambda entry: entry.number)
            return topics[0].pk if topics else 0

        return cls(
            task_ids=np.array([task.pk for task in tasks], dtype=np.int64),
            kle_ids=np.array([topic(task) for task in tasks], dtype=np.int64),
            unit_ids=np.array([task.unit_id or 0 for task in tasks], dtype=np.int64),
            department_ids=np.array([task.department_id for task in tasks], dtype=np.int64),
            frontline_may_resolve=np.array([task.frontline_may_resolve for task in tasks]),
            summaries=[
                [_copy_safe(text.format(task=task.title.lower())) for text in SUMMARIES]
                for task in tasks
            ],
            chances=chances,
            frontline=(frontline.pk, frontline.department_id) if frontline else (0, 0),
        )


def _copy_safe(text: str) -> str:
    """Text without the characters COPY's text format would read as field or row ends."""
    return " ".join(text.replace("\\", "/").split())


# --------------------------------------------------------------------------------------------
# The calendar: each day's expected contacts per channel, and moments within the day
# --------------------------------------------------------------------------------------------


def day_weights(days: list[dt.date], calendar: WorkCalendar) -> tuple[FloatArray, FloatArray]:
    """Each day's relative volume of office-bound and of digital contacts."""
    office = np.zeros(len(days))
    digital = np.zeros(len(days))
    for number, day in enumerate(days):
        month = MONTH_WEIGHT[day.month - 1]
        if calendar.is_working_day(day):
            office[number] = digital[number] = month * WEEKDAY_WEIGHT[day.weekday()]
        elif day.weekday() < 5:
            digital[number] = month * CLOSED_DAY_WEIGHT
        else:
            digital[number] = month * WEEKDAY_WEIGHT[day.weekday()]
    return office, digital


def expected_per_day(
    days: list[dt.date], yearly: dict[Channel, float], calendar: WorkCalendar
) -> FloatArray:
    """Expected contacts per day (rows) and channel (columns, in CHANNELS' order): each
    channel's yearly count spread over the days by its weights."""
    office, digital = day_weights(days, calendar)
    expected = np.zeros((len(days), len(CHANNELS)))
    for number, channel in enumerate(CHANNELS):
        weights = office if channel in OFFICE_CHANNELS else digital
        if yearly.get(channel) and weights.sum():
            expected[:, number] = yearly[channel] * weights / weights.sum()
    return expected


def moments(
    rng: np.random.Generator, channels: IntArray, day: dt.date, calendar: WorkCalendar
) -> IntArray:
    """Seconds after local midnight for contacts of these channels on `day`."""
    seconds = np.zeros(len(channels), dtype=np.int64)
    opens, closes = (
        (hour.hour * 3600 + hour.minute * 60 for hour in calendar.hours(day))
        if day.weekday() < 5
        else (9 * 3600, 15 * 3600)
    )
    for number, channel in enumerate(CHANNELS):
        chosen = channels == number
        count = int(chosen.sum())
        if not count:
            continue
        if channel == Channel.LETTER:  # the morning's post
            seconds[chosen] = rng.integers(8 * 3600, 10 * 3600, count)
        elif channel in OFFICE_CHANNELS:
            # The phone lines open an hour before the desks; the queue peaks early.
            start = opens - (3600 if channel == Channel.PHONE else 0)
            seconds[chosen] = start + (closes - start) * rng.beta(1.3, 2.0, count)
        else:
            hours = rng.choice(24, count, p=DIGITAL_HOURS / DIGITAL_HOURS.sum())
            seconds[chosen] = hours * 3600 + rng.integers(0, 3600, count)
    return seconds


def instants(day: dt.date, seconds: IntArray) -> npt.NDArray[np.datetime64]:
    """UTC instants of local moments of `day` (Danish time, summer time switches included)."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=COPENHAGEN)
    following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=COPENHAGEN)
    shift = int(
        (
            (following.utcoffset() or dt.timedelta()) - (midnight.utcoffset() or dt.timedelta())
        ).total_seconds()
    )
    epoch = int(midnight.timestamp()) + seconds
    if shift:  # the clocks change at 02:00/03:00 local time
        epoch = np.where(seconds >= 3 * 3600, epoch - shift, epoch)
    return epoch.astype("datetime64[s]")


def _stamps(values: npt.NDArray[np.datetime64]) -> list[str]:
    """'YYYY-MM-DD HH:MM:SS' (UTC), as Django stores datetimes on SQLite."""
    return [text.replace("T", " ") for text in np.datetime_as_string(values, unit="s").tolist()]


# --------------------------------------------------------------------------------------------
# The year, day by day
# --------------------------------------------------------------------------------------------

Column = list[Any]  # Python values, None for NULL
# Called with each day's completed self-service contacts (their task ids and UTC instants), it
# returns the funnel events behind them, which the self-service logs would hold; the simulator
# records them batch by batch (the funnels' bulk service).
SelfServiceHook = Callable[[dt.date, IntArray, npt.NDArray[np.datetime64]], Sequence[FunnelEventIn]]


@dataclass
class IdBlocks:
    """Ids reserved ahead, `size` (or what is asked, if more) at a time per table: a reservation
    locks its tables against inserts until it commits, so while a batch is being written on
    another connection it waits for that batch's COMMIT. Blocks last several weeks and are
    renewed between batches (`keep`), when no batch is being written. What is left of a block
    when a new one is taken stays unused (a gap in the ids, as a rolled-back insert leaves)."""

    size: int
    next: dict[type[models.Model], int] = field(default_factory=dict)
    end: dict[type[models.Model], int] = field(default_factory=dict)

    def take(self, counts: dict[type[models.Model], int]) -> dict[type[models.Model], int]:
        """For each table with a count above 0, the first of `count` consecutive ids that no
        other writer will be given."""
        wanted = {model: count for model, count in counts.items() if count}
        for model, count in wanted.items():
            self.keep([model], count)
        firsts = {}
        for model, count in wanted.items():
            firsts[model] = self.next[model]
            self.next[model] += count
        return firsts

    def keep(self, tables: Iterable[type[models.Model]], count: int) -> None:
        """Take a new block for each table with fewer than `count` ids left."""
        short = [
            model for model in tables if self.next.get(model, 0) + count > self.end.get(model, 0)
        ]
        if short:
            with transaction.atomic():
                for model, first in _reserve(dict.fromkeys(short, max(count, self.size))).items():
                    self.next[model], self.end[model] = first, first + max(count, self.size)


def write_batch(batch: Batch) -> None:
    """A batch's rows and their rollup buckets in one transaction."""
    # Where PostgreSQL lets us, the batch's references are checked once per foreign key rather
    # than once per row (demo.bulkload).
    with (
        transaction.atomic(),
        counting_taken_over(),
        simulated_row_triggers_skipped() as per_set,
    ):
        newest = newest_ids(WRITTEN) if per_set else {}
        if not per_set:
            _check_references_at_once()
        batch.write()
        if per_set:
            check_references(newest)


@contextmanager
def batch_writer(write: Callable[[Batch], None]) -> Iterator[Callable[[Batch], None]]:
    """A function that writes a batch: on PostgreSQL outside a transaction, on a thread with a
    connection of its own, so that the next batch is generated while this one is written (the
    caller waits for the one before it, so two batches at most are in memory); else at once, in
    the caller's transaction (the writer's connection would not see what it has not committed).
    A failed write is raised in the caller at its next batch or at the end."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield write
        return
    batches: queue.Queue[Batch | None] = queue.Queue()
    failures: list[BaseException] = []

    def drain() -> None:
        try:
            while (batch := batches.get()) is not None:
                try:
                    if not failures:  # after a failure, nothing more is written
                        write(batch)
                except BaseException as error:  # raised in the caller
                    failures.append(error)
                finally:
                    batches.task_done()
        finally:
            connection.close()

    def hand_over(batch: Batch) -> None:
        batches.join()
        if failures:
            raise failures[0]
        batches.put(batch)

    writer = threading.Thread(target=drain, name="simulate-writer")
    writer.start()
    try:
        yield hand_over
    finally:
        batches.put(None)
        writer.join()
    if failures:
        raise failures[0]


def _ids(values: IntArray) -> Column:
    """Foreign keys with 0 for none as Python values (None)."""
    return [value or None for value in values.tolist()]


@dataclass
class Batch:
    """Rows and rollup buckets gathered over several days and written at once: one COPY per
    table (batched executemany on SQLite) and one rollup statement, rather than one per day.
    The tables are written in the order first stored (threads before the contacts on them)."""

    columns: dict[type[models.Model], list[str]] = field(default_factory=dict)
    # Per table, blocks of COPY text on PostgreSQL, row tuples on SQLite.
    rows: dict[type[models.Model], list[Any]] = field(default_factory=dict)
    buckets: list[ContactBuckets] = field(default_factory=list)

    def store(self, model: type[models.Model], columns: dict[str, Column]) -> None:
        """Add rows given column by column."""
        self.columns[model] = list(columns)
        rows = self.rows.setdefault(model, [])
        if connection.vendor != "postgresql":
            rows.extend(zip(*columns.values(), strict=True))
            return
        texts = [
            [r"\N" if value is None else str(value) for value in column]
            for column in columns.values()
        ]
        rows.append("".join(f"{line}\n" for line in map("\t".join, zip(*texts, strict=True))))

    def write(self) -> None:
        for model, rows in self.rows.items():
            if connection.vendor == "postgresql":
                _copy_text(model, self.columns[model], rows)
            else:
                _write(model, self.columns[model], rows)
        if self.buckets:
            add_contact_buckets(
                ContactBuckets(
                    **{
                        name: [value for part in self.buckets for value in getattr(part, name)]
                        for name in (entry.name for entry in dataclasses.fields(ContactBuckets))
                    }
                )
            )


def _buckets(
    day: dt.date,
    channel: IntArray,
    direction: Column,
    outcome: Column,
    department: IntArray,
    unit: IntArray,
    task_id: IntArray,
    duration: IntArray,
) -> ContactBuckets:
    """The day's contacts summed per rollup bucket (duration 0 is no duration)."""
    directions, direction_code = np.unique(np.array(direction), return_inverse=True)
    outcomes, outcome_code = np.unique(np.array(outcome), return_inverse=True)
    keys = np.stack([channel, direction_code, outcome_code, department, unit, task_id], axis=1)
    bucket, which = np.unique(keys, axis=0, return_inverse=True)
    which = which.reshape(-1)
    size = len(bucket)
    return ContactBuckets(
        day=[day] * size,
        channel=[str(CHANNELS[index]) for index in bucket[:, 0].tolist()],
        direction=directions[bucket[:, 1]].tolist(),
        outcome=outcomes[bucket[:, 2]].tolist(),
        department_id=bucket[:, 3].tolist(),
        unit_id=bucket[:, 4].tolist(),
        task_id=bucket[:, 5].tolist(),
        contacts=np.bincount(which, minlength=size).tolist(),
        duration_seconds=np.bincount(which, weights=duration, minlength=size)
        .astype(np.int64)
        .tolist(),
        timed=np.bincount(which, weights=duration > 0, minlength=size).astype(np.int64).tolist(),
    )


@dataclass
class FollowUps:
    """Contacts already decided for a later day: a later contact on an earlier thread."""

    party: list[IntArray] = field(default_factory=list)
    thread: list[IntArray] = field(default_factory=list)
    task: list[IntArray] = field(default_factory=list)
    channel: list[IntArray] = field(default_factory=list)
    seconds: list[IntArray] = field(default_factory=list)

    def add(self, **arrays: IntArray) -> None:
        for name, values in arrays.items():
            getattr(self, name).append(values)

    def joined(self, name: str) -> IntArray:
        parts: list[IntArray] = getattr(self, name)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


@dataclass
class Simulator:
    """Generates and writes contacts for a range of days (see the module's docstring)."""

    days: list[dt.date]
    contacts: int  # over the whole range
    shares: dict[Channel, float]
    seed: int
    registrar: User
    calendar: WorkCalendar = DEFAULT_CALENDAR
    on_self_service: SelfServiceHook | None = None
    written: SimulationReport = field(init=False)
    counting: bool = field(init=False, default=False)  # we add our contacts to the rollups
    batch: Batch = field(init=False, default_factory=Batch)  # the batch's rows, until written
    events: list[FunnelEventIn] = field(init=False, default_factory=list)  # the batch's funnels

    def __post_init__(self) -> None:
        total_share = sum(self.shares.values())
        self.identified = sum(
            share / total_share * (1 - ANONYMOUS[channel]) for channel, share in self.shares.items()
        )
        yearly = {
            channel: self.contacts * share / total_share for channel, share in self.shares.items()
        }
        self.expected = expected_per_day(self.days, yearly, self.calendar)
        self.totals = self.expected.sum(axis=1)
        self.follow_up_channels = np.array([channel != Channel.SELFSERVICE for channel in CHANNELS])
        self.rng = np.random.default_rng(self.seed)
        self.catalogue = Catalogue.load(self.seed)
        self.citizens = max(1, round(self.contacts * self.identified / CONTACTS_PER_CITIZEN))
        self.companies = max(1, round(self.citizens * COMPANY_SHARE / 5))
        self.pending: dict[int, FollowUps] = {}
        self.anonymous = np.array([ANONYMOUS[channel] for channel in CHANNELS])
        self.outbound = np.array([OUTBOUND.get(channel, 0.0) for channel in CHANNELS])
        self.written = SimulationReport(len(self.days), 0, 0, self.citizens, self.companies)
        # About four weeks' contacts a block (see IdBlocks).
        self.ids = IdBlocks(size=max(1000, round(self.contacts * 28 / max(1, len(self.days)))))

    def run(self, *, tick: Callable[[int], object], now: dt.datetime) -> SimulationReport:
        self.pool = ensure_party_pool(
            citizens=self.citizens,
            companies=self.companies,
            seed=self.seed,
            now=now,
            tick=lambda _count: None,
        )
        # On PostgreSQL the simulator counts its contacts itself (counting_taken_over says so in
        # each batch's transaction) instead of the INSERT trigger's upserts row by row.
        self.counting = connection.vendor == "postgresql"
        # A week per transaction (at most), written at its end: SQLite waits for the disk once
        # a week rather than once a day, and PostgreSQL gets a COPY per table and the week's
        # rollup buckets in one statement (a day's rows at 100,000 a year are a few hundred,
        # and each statement's own cost dominated).
        with batch_writer(write_batch) as write:
            days = contacts = 0
            for number, day in enumerate(self.days):
                added = self.day(number, day)
                tick(added)
                days, contacts = days + 1, contacts + added
                if (
                    days == DAYS_PER_TRANSACTION
                    or contacts >= CONTACTS_PER_TRANSACTION
                    or number == len(self.days) - 1
                ):
                    # The next batch's ids while no batch is being written (a day that needs
                    # more takes them then, waiting for the batch being written).
                    ahead = self.totals[number + 1 : number + 1 + DAYS_PER_TRANSACTION]
                    if len(ahead):  # a batch ends on the day that takes it past the maximum
                        most = min(ahead.sum(), CONTACTS_PER_TRANSACTION + ahead.max())
                        self.ids.keep(WRITTEN, round(most * 1.25))
                    write(self.batch)
                    # The funnel events meanwhile, on this connection: what an external form
                    # system would send, to other tables; recorded in batches of their own.
                    if self.events:
                        record_funnel_events_in_bulk(
                            events=self.events, now=now, batch_size=len(self.events)
                        )
                    self.batch, self.events = Batch(), []
                    days = contacts = 0
        return self.written

    # -- one day ------------------------------------------------------------------------------

    def day(self, number: int, day: dt.date) -> int:
        rng, catalogue = self.rng, self.catalogue
        # The follow-ups due today were decided on earlier days: new matters make up the rest of
        # the day's expected contacts, channel by channel.
        due = self.pending.pop(number, FollowUps())
        arriving = np.bincount(due.joined("channel"), minlength=len(CHANNELS))
        counts = rng.poisson(np.maximum(self.expected[number] - arriving, 0))
        channel = np.repeat(np.arange(len(CHANNELS)), counts)
        fresh = len(channel)
        task = np.zeros(fresh, dtype=np.int64)
        for index, size in enumerate(counts.tolist()):
            if size:
                task[channel == index] = rng.choice(
                    len(catalogue.task_ids), size, p=catalogue.chances[index]
                )
        party = self._parties(channel)
        # The day's threads and contacts (its new matters and the follow-ups due) at once.
        firsts = self.ids.take({Thread: fresh, Contact: fresh + len(due.joined("channel"))})
        first_thread = firsts.get(Thread, 0)
        thread = first_thread + np.arange(fresh, dtype=np.int64)
        seconds = moments(rng, channel, day, self.calendar)
        last_seconds, last_day = seconds.copy(), np.full(fresh, number)
        self._schedule_follow_ups(number, party, thread, task, last_seconds, last_day)

        channel = np.concatenate([channel, due.joined("channel")])
        task = np.concatenate([task, due.joined("task")])
        party = np.concatenate([party, due.joined("party")])
        thread = np.concatenate([thread, due.joined("thread")])
        seconds = np.concatenate([seconds, due.joined("seconds")])
        order = np.argsort(seconds, kind="stable")
        channel, task, party, thread, seconds = (
            values[order] for values in (channel, task, party, thread, seconds)
        )
        received = instants(day, seconds)
        if self.on_self_service is not None:
            done = channel == CHANNELS.index(Channel.SELFSERVICE)
            self.events += self.on_self_service(day, catalogue.task_ids[task[done]], received[done])
        unit, department, outcome = self._routing(channel, task)
        self._write_threads(
            day,
            fresh,
            first_thread,
            order,
            received,
            party,
            task,
            department,
            last_seconds,
            last_day,
        )
        self._write_contacts(
            day,
            firsts.get(Contact, 0),
            channel,
            task,
            party,
            thread,
            received,
            unit,
            department,
            outcome,
        )
        self.written = SimulationReport(
            self.written.days,
            self.written.contacts + len(channel),
            self.written.threads + fresh,
            self.citizens,
            self.companies,
        )
        return len(channel)

    def _parties(self, channel: IntArray) -> IntArray:
        rng, count = self.rng, len(channel)
        # Some citizens come often, most now and then: a skewed draw over the pool.
        citizen = (self.citizens * rng.random(count) ** 1.3).astype(np.int64)
        company = self.citizens + rng.integers(0, self.companies, count)
        chosen = np.where(rng.random(count) < COMPANY_SHARE, company, citizen)
        ids = self.pool[np.minimum(chosen, len(self.pool) - 1)]
        return np.where(rng.random(count) < self.anonymous[channel], 0, ids)

    def _schedule_follow_ups(
        self,
        number: int,
        party: IntArray,
        thread: IntArray,
        task: IntArray,
        last_seconds: IntArray,
        last_day: IntArray,
    ) -> None:
        """Decide which of today's new matters the same party follows up, when and how; the
        thread's last contact is then known before the thread is written."""
        rng = self.rng
        follows = np.flatnonzero((party != 0) & (rng.random(len(party)) < FOLLOW_UP))
        # On one of the next days, busy days more likely than quiet ones (not past the range).
        ahead = self.totals[number + 1 : number + 1 + FOLLOW_UP_DAYS]
        if not len(follows) or not ahead.sum():
            return
        later = number + 1 + rng.choice(len(ahead), len(follows), p=ahead / ahead.sum())
        for target in np.unique(later).tolist():
            which = follows[later == target]
            # A follow-up asks about the matter: by any channel but a self-service form.
            chances = self.expected[target] * self.follow_up_channels
            if not chances.sum():
                continue
            chances /= chances.sum()
            channel = rng.choice(len(CHANNELS), len(which), p=chances)
            seconds = moments(rng, channel, self.days[target], self.calendar)
            self.pending.setdefault(target, FollowUps()).add(
                party=party[which],
                thread=thread[which],
                task=task[which],
                channel=channel,
                seconds=seconds,
            )
            last_seconds[which], last_day[which] = seconds, target

    def _routing(self, channel: IntArray, task: IntArray) -> tuple[IntArray, IntArray, Column]:
        """Each contact's unit, department and outcome (as `contacts.services._build` sets
        them): the front line keeps what it resolves, the rest goes to the task's unit."""
        rng, catalogue = self.rng, self.catalogue
        chances = np.array([OUTCOME_CHANCES[False], OUTCOME_CHANCES[True]])
        cumulative = np.cumsum(chances, axis=1)[catalogue.frontline_may_resolve[task].astype(int)]
        drawn = (rng.random(len(task))[:, None] > cumulative).sum(axis=1)
        spoken = np.isin(channel, [CHANNELS.index(Channel.PHONE), CHANNELS.index(Channel.PERSONAL)])
        # Only a conversation ends in a promised call-back; only a request has an outcome.
        drawn = np.where((drawn == 1) & ~spoken, 0, drawn)
        no_outcome = np.isin(
            channel, [CHANNELS.index(Channel.SELFSERVICE), CHANNELS.index(Channel.SMS)]
        )
        # The front line (a contact centre) answers calls, visits and written requests alike;
        # self-service forms and letters go to the task's unit.
        kept = (
            (drawn <= 1)
            & np.isin(channel, [CHANNELS.index(c) for c in FRONTLINE_CHANNELS])
            & bool(catalogue.frontline[0])
        )
        unit = np.where(kept, catalogue.frontline[0], catalogue.unit_ids[task])
        department = np.where(kept, catalogue.frontline[1], catalogue.department_ids[task])
        outcome = [
            "" if none else str(OUTCOMES[index])
            for index, none in zip(drawn.tolist(), no_outcome.tolist(), strict=True)
        ]
        return unit, department, outcome

    def _write_threads(
        self,
        day: dt.date,
        fresh: int,
        first: int,
        order: IntArray,
        received: npt.NDArray[np.datetime64],
        party: IntArray,
        task: IntArray,
        department: IntArray,
        last_seconds: IntArray,
        last_day: IntArray,
    ) -> None:
        if not fresh:
            return
        # Today's new matters, in the order of their thread ids (they were numbered first).
        position = np.empty(fresh, dtype=np.int64)
        is_new = order < fresh
        position[order[is_new]] = np.flatnonzero(is_new)
        variants = self.rng.integers(0, len(SUMMARIES), fresh)
        last = np.empty(fresh, dtype="datetime64[s]")
        for target in np.unique(last_day).tolist():
            chosen = last_day == target
            last[chosen] = instants(self.days[target], last_seconds[chosen])
        summaries = self.catalogue.summaries
        self.batch.store(
            Thread,
            {
                "id": (first + np.arange(fresh)).tolist(),
                "party_id": _ids(party[position]),
                "subject": [
                    summaries[t][v][:SUBJECT_LENGTH]
                    for t, v in zip(task[position].tolist(), variants.tolist(), strict=True)
                ],
                "department_id": _ids(department[position]),
                "created_at": _stamps(received[position]),
                "last_contact_at": _stamps(last),
            },
        )

    def _write_contacts(
        self,
        day: dt.date,
        first: int,
        channel: IntArray,
        task: IntArray,
        party: IntArray,
        thread: IntArray,
        received: npt.NDArray[np.datetime64],
        unit: IntArray,
        department: IntArray,
        outcome: Column,
    ) -> None:
        rng, catalogue, count = self.rng, self.catalogue, len(channel)
        if not count:
            return
        direction = np.where(rng.random(count) < self.outbound[channel], "out", "in").tolist()
        outcome = [
            "" if way == Direction.OUTBOUND else result
            for way, result in zip(direction, outcome, strict=True)
        ]
        duration = np.zeros(count, dtype=np.int64)
        for name, (median, spread) in DURATION.items():
            spoken = channel == CHANNELS.index(name)
            duration[spoken] = np.clip(
                rng.lognormal(math.log(median), spread, int(spoken.sum())), 10, SECONDS_PER_DAY
            )
        stamps = _stamps(received)
        registrar = self.registrar.pk
        variants = rng.integers(0, len(SUMMARIES), count).tolist()
        columns: dict[str, Column] = {
            "id": (first + np.arange(count)).tolist(),
            "channel": [str(CHANNELS[index]) for index in channel.tolist()],
            "direction": direction,
            "received_at": stamps,
            "party_id": _ids(party),
            "summary": [
                catalogue.summaries[t][v] for t, v in zip(task.tolist(), variants, strict=True)
            ],
            "task_id": catalogue.task_ids[task].tolist(),
            "kle_topic_id": _ids(catalogue.kle_ids[task]),
            "unit_id": _ids(unit),
            "department_id": _ids(department),
            "handled_by_id": [
                None if result == Outcome.FORWARDED else registrar for result in outcome
            ],
            "registered_by_id": [registrar] * count,
            "outcome": outcome,
            "duration_seconds": _ids(duration),
            "thread_id": thread.tolist(),
            "awaiting_triage": [False] * count,
            "created_at": stamps,
            "received_on": [day.isoformat()] * count,
        }
        self.batch.store(Contact, columns)
        if self.counting:
            self.batch.buckets.append(
                _buckets(
                    day,
                    channel,
                    direction,
                    outcome,
                    department,
                    unit,
                    catalogue.task_ids[task],
                    duration,
                )
            )


def year_days(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days)]


def simulation_user() -> User:
    """The staff account simulated contacts are registered by (inactive: nobody logs in)."""
    user, created = User.objects.get_or_create(
        username="simulering", defaults={"first_name": "Simuleret", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def simulate(
    *,
    days: list[dt.date],
    contacts: int,
    shares: dict[Channel, float],
    seed: int,
    now: dt.datetime,
    tick: Callable[[int], object] = lambda _count: None,
    on_self_service: SelfServiceHook | None = None,
) -> SimulationReport:
    """Write `contacts` synthetic contacts (about; Poisson draws) spread over `days`."""
    started = time.perf_counter()
    simulator = Simulator(
        days=days,
        contacts=contacts,
        shares=shares,
        seed=seed,
        registrar=simulation_user(),
        on_self_service=on_self_service,
    )
    report = simulator.run(tick=tick, now=now)
    return dataclasses.replace(report, seconds=time.perf_counter() - started)


# --------------------------------------------------------------------------------------------
# Self-service funnels: the attempts behind each completed self-service contact
# --------------------------------------------------------------------------------------------

# Seed 002 (Københavns Kommune's own statistics): 3.75 abandoned attempts for every completed
# self-service transaction (seed 004: 1.3 million log-ins, 298,000 transactions).
ABANDONED_PER_COMPLETED = 3.75
FUNNEL_SYSTEM = "simulering"
# A form's pages, as its form system names them; every attempt reaches the first.
FUNNEL_STEPS = ("Log ind", "Oplysninger", "Bilag", "Godkend og send")
# Where an abandoned attempt gives up: most at the log-in, fewer further in.
GIVE_UP_AT = np.array([0.4, 0.3, 0.2, 0.1])
STEP_MINUTES = 3  # between pages


@dataclass
class FunnelWriter:
    """A SelfServiceHook that gives each completion's attempt and the abandoned attempts beside
    it (started, the steps reached, then completed or abandoned), one solution per task (created
    here as a task is first seen)."""

    seed: int
    now: dt.datetime
    solutions: dict[int, str] = field(default_factory=dict)  # task id -> the solution's id there
    rng: np.random.Generator = field(init=False)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)

    def __call__(
        self, day: dt.date, task_ids: IntArray, at: npt.NDArray[np.datetime64]
    ) -> list[FunnelEventIn]:
        events: list[FunnelEventIn] = []
        moments = at.astype("datetime64[s]").astype(np.int64).tolist()
        whole, part = divmod(ABANDONED_PER_COMPLETED, 1)
        abandoned = int(whole) + (self.rng.random(len(moments)) < part)
        for number, (task_id, second) in enumerate(zip(task_ids.tolist(), moments, strict=True)):
            completed = dt.datetime.fromtimestamp(second, tz=dt.UTC)
            solution = self._solution(task_id)
            for attempt in range(1 + int(abandoned[number])):
                # The abandoned attempts come earlier that day (people try again).
                ended = completed - dt.timedelta(minutes=30 * attempt)
                reached = (
                    len(FUNNEL_STEPS)
                    if attempt == 0
                    else 1 + int(self.rng.choice(len(GIVE_UP_AT), p=GIVE_UP_AT))
                )
                key = f"sim{self.seed}-{day:%Y%m%d}-{number}-{attempt}"
                began = ended - dt.timedelta(minutes=STEP_MINUTES * (reached + 1))
                kinds: list[tuple[FunnelEventKind, str, dt.datetime]] = [
                    (FunnelEventKind.STARTED, "", began),
                    *(
                        (
                            FunnelEventKind.STEP_REACHED,
                            FUNNEL_STEPS[step],
                            began + dt.timedelta(minutes=STEP_MINUTES * (step + 1)),
                        )
                        for step in range(reached)
                    ),
                    (FunnelEventKind.COMPLETED, "", ended)
                    if attempt == 0
                    else (FunnelEventKind.ABANDONED, FUNNEL_STEPS[reached - 1], ended),
                ]
                events.extend(
                    FunnelEventIn(
                        event_id=f"{key}-{index}",
                        system=FUNNEL_SYSTEM,
                        solution=solution,
                        attempt_id=key,
                        kind=event_kind,
                        occurred_at=moment,
                        step=step,
                    )
                    for index, (event_kind, step, moment) in enumerate(kinds)
                    if moment <= self.now  # a year that is not over yet: its past only
                )
        return events

    def _solution(self, task_id: int) -> str:
        if task_id not in self.solutions:
            task = Task.objects.select_related("department").get(pk=task_id)
            ensure_solution(
                name=task.title,
                kind=SolutionKind.TASK_LINK,
                department=task.department,
                external_system=FUNNEL_SYSTEM,
                external_id=f"task-{task_id}",
                steps=list(FUNNEL_STEPS),
                task=task,
                url=task.self_service_url,
            )
            self.solutions[task_id] = f"task-{task_id}"
        return self.solutions[task_id]
