"""Benchmark the contact register and print the figures (this is not a test).

Measures, on SQLite and on PostgreSQL:

1. contacts registered per second through ``POST /api/v1/contacts/`` with token auth, from 1 and
   from 4 concurrent clients, served by granian (2 workers) with ``indgang.conf.production``;
2. a bulk import of 10,000 contacts through ``indgang import-contacts``: contacts per second;
3. p50/p95 latency of ``GET /api/v1/contacts/`` (first page) and of
   ``GET /api/v1/parties/{id}/overview/`` with 10,000+ contacts present;
4. SQL statements per request for the POST, the list and the overview, counted in-process with
   the DRF test client, once on a near-empty register and once on the full one.

Usage::

    .venv/bin/python benchmarks/contacts.py [--db sqlite|postgres|both] [--quick]

Everything runs on 127.0.0.1 only, with fixed request counts; the script starts and stops its
own granian. The SQLite file lives in var/bench/; the PostgreSQL database ``indgang_bench`` is
dropped and created on each run (trust auth as user ``postgres`` on 127.0.0.1:5432).
"""

from __future__ import annotations

import csv
import datetime as dt
import http.client
import io
import json
import multiprocessing as mp
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from harness import (
    BENCH_DIR,
    ROOT,
    benchmark_parser,
    databases_to_run,
    environment,
    percentile,
    prepare_database,
    ran_phase,
    reference_ms,
    run_phase,
    say,
    setup_django,
)

BIN = Path(sys.executable).parent
KLE_SUBSET = ROOT.parent / "shared" / "data" / "kle" / "os2opgavefordeler_KLE-valid-data.xml"
PG_DB = "indgang_bench"
# Fixed keys, so that runs are comparable; the CPR numbers used are fictitious.
USERNAME = "bench-front"
PASSWORD = "bench-password-1"  # noqa: S105 - a throwaway user in a throwaway database
HOST = "127.0.0.1"

TARGET_POSTS_PER_S = 700.0
TARGET_P95_MS = 40.0
NOISY_CORES = 0.15  # CPU used by other processes during a figure before it is flagged
RECONNECT_EVERY = 20  # requests per keep-alive connection before a client opens a new one

CHANNELS = ["phone", "email", "selfservice", "personal", "web", "letter", "chat", "sms"]
CHANNEL_WEIGHTS = [36, 18, 20, 11, 8, 4, 2, 1]
SUMMARIES = [
    "Spørger til tilslutning til fjernvarme",
    "Vil gerne vide, hvor langt min sag er",
    "Har brug for hjælp til en ansøgning",
    "Har fået et brev og forstår det ikke",
    "Klager over sagsbehandlingstiden",
]
TASKS_CSV = (
    "title,department,depth,frontline_may_resolve,kle,channels,self_service_url\n"
    "Tilslutning til fjernvarme,BTF,1,true,13.03.20;13.03.00,phone;selfservice,\n"
    "Bortledning af grundvand,BTF,2,false,13.02.17,email,\n"
)


@dataclass(frozen=True)
class Plan:
    """How much work each figure gets; fixed counts, so every run is bounded."""

    post_single: int  # POSTs by the lone client
    post_each: int  # POSTs by each of the concurrent clients
    warmup: int  # unmeasured requests per client before each figure
    reads: int  # GETs by the lone client per read figure
    reads_each: int  # GETs by each concurrent client per read figure
    import_rows: int
    max_seconds: float  # a figure stops early after this long, however slow the server is


FULL = Plan(
    post_single=2000,
    post_each=1500,
    warmup=100,
    reads=300,
    reads_each=150,
    import_rows=10_000,
    max_seconds=15,
)
QUICK = Plan(
    post_single=200,
    post_each=100,
    warmup=20,
    reads=40,
    reads_each=20,
    import_rows=1000,
    max_seconds=5,
)


# --------------------------------------------------------------------------------------------
# Fictitious CPR numbers and request bodies
# --------------------------------------------------------------------------------------------


def fictitious_cprs(count: int, *, seed: int) -> list[str]:
    """Distinct CPR numbers that python-stdnum accepts (a real, past date of birth)."""
    from stdnum.dk import cpr as stdnum_cpr

    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 22_000))
        candidate = f"{born:%d%m%y}{rng.randint(0, 9999):04d}"
        if candidate in found:
            continue
        try:
            stdnum_cpr.validate(candidate)
        except ValueError:
            continue
        found[candidate] = None
    return list(found)


@dataclass
class People:
    """CPR numbers for one database's run: fresh ones are used once, repeats again and again."""

    fresh: list[str]
    repeats: list[str]
    busy: str  # one frequent caller, so one overview is full (its 200-contact limit)

    def take_fresh(self, count: int) -> list[str]:
        taken, self.fresh = self.fresh[:count], self.fresh[count:]
        if len(taken) < count:
            raise RuntimeError("Not enough fictitious CPR numbers prepared.")
        return taken


def contact_body(rng: random.Random, *, cpr: str, task_id: int | None, now: dt.datetime) -> bytes:
    body: dict[str, Any] = {
        "channel": rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
        "received_at": (now - dt.timedelta(minutes=rng.randint(1, 3 * 24 * 60))).isoformat(),
        "summary": rng.choice(SUMMARIES),
        "cpr": cpr,
    }
    if task_id is not None:
        body["task"] = task_id
    return json.dumps(body).encode()


def post_bodies(
    people: People, count: int, *, task_id: int, seed: int, now: dt.datetime
) -> list[bytes]:
    """60 % new citizens, 40 % citizens seen before (shared by all clients); half with a task."""
    rng = random.Random(seed)
    fresh = iter(people.take_fresh(count))
    bodies = []
    for _ in range(count):
        cpr = next(fresh) if rng.random() < 0.6 else rng.choice(people.repeats)
        bodies.append(
            contact_body(rng, cpr=cpr, task_id=task_id if rng.random() < 0.5 else None, now=now)
        )
    return bodies


def write_import_csv(
    path: Path, people: People, rows: int, *, task_id: int, now: dt.datetime
) -> None:
    """Rows for `indgang import-contacts`: 2.5 % the frequent caller, 40 % repeat citizens."""
    rng = random.Random(7)
    fresh = iter(people.take_fresh(rows))
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["channel", "received_at", "summary", "cpr", "task"])
        for row in range(rows):
            draw = rng.random()
            # The regular citizen whose overview is read comes once for sure (a quick run's
            # few repeats could miss them).
            cpr = (
                people.repeats[1]
                if row == 0
                else people.busy
                if draw < 0.025
                else rng.choice(people.repeats)
                if draw < 0.425
                else next(fresh)
            )
            writer.writerow(
                [
                    rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
                    (now - dt.timedelta(minutes=rng.randint(1, 30 * 24 * 60))).isoformat(),
                    rng.choice(SUMMARIES),
                    cpr,
                    task_id if rng.random() < 0.5 else "",
                ]
            )


# --------------------------------------------------------------------------------------------
# Load generation: one process per client, each with its own keep-alive connections
# --------------------------------------------------------------------------------------------

Request = tuple[str, str, bytes | None]  # method, path, body


@dataclass
class ClientResult:
    latencies: list[float]
    started: float
    finished: float
    errors: int
    first_error: str
    reconnects: int
    cpu_seconds: float


class RawConnection:
    """One keep-alive HTTP/1.1 connection that sends prepared request bytes and reads the answer.

    http.client parses every response's headers with the email package: that cost the load
    generator more CPU per request than some of the requests cost the server, on the same cores.
    Here only the status line and Content-Length are read (the server always sends one).
    """

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection((HOST, port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def exchange(self, raw: bytes) -> tuple[int, bytes]:
        self.sock.sendall(raw)
        buffer = b""
        while (end := buffer.find(b"\r\n\r\n")) < 0:
            buffer += self._receive()
        head, body = buffer[:end], buffer[end + 4 :]
        status = int(head[9:12])
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.lower().split(b"\r\n")
            if line.startswith(b"content-length:")
        )
        while len(body) < length:
            body += self._receive()
        return status, body

    def _receive(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def close(self) -> None:
        self.sock.close()


def render(request: Request, token: str) -> bytes:
    """The bytes of one request, as a client library would send them."""
    method, path, body = request
    payload = body or b""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Token {token}\r\n"
        f"Content-Type: application/json\r\nAccept: application/json\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


def _client(
    port: int,
    token: str,
    warmup: list[Request],
    requests: list[Request],
    expect: int,
    max_seconds: float,
    barrier: Barrier,
    out: Connection,
) -> None:
    connection = RawConnection(port)
    errors = reconnects = 0
    first_error = ""

    def send(raw: bytes) -> float:
        nonlocal connection, errors, reconnects, first_error
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                status, payload = connection.exchange(raw)
                break
            except ConnectionError:
                # The server closed an idle keep-alive connection: open a new one, once.
                connection.close()
                connection = RawConnection(port)
                reconnects += 1
                if attempt == 2:
                    raise
        elapsed = time.perf_counter() - started
        if status != expect:
            errors += 1
            first_error = first_error or f"{status} {payload[:300]!r}"
        return elapsed

    for request in warmup:
        send(render(request, token))
    prepared = [render(request, token) for request in requests]
    barrier.wait()
    cpu = os.times()
    started = time.perf_counter()
    deadline = started + max_seconds
    latencies = []
    for number, raw in enumerate(prepared, start=1):
        latencies.append(send(raw))
        if time.perf_counter() > deadline:
            break
        if number % RECONNECT_EVERY == 0:
            # As a client pool recycles its connections: which worker accepted which of a
            # few long-lived connections would otherwise decide the whole figure.
            connection.close()
            connection = RawConnection(port)
    finished = time.perf_counter()
    cpu_after = os.times()
    connection.close()
    out.send(
        ClientResult(
            latencies=latencies,
            started=started,
            finished=finished,
            errors=errors,
            first_error=first_error,
            reconnects=reconnects,
            cpu_seconds=(cpu_after.user - cpu.user) + (cpu_after.system - cpu.system),
        )
    )
    out.close()


@dataclass
class Load:
    """One measured figure: requests from N clients at once."""

    clients: int
    requests: int
    seconds: float
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    first_error: str
    reconnects: int
    cpu_ms_app: float  # the web server's CPU per request
    cpu_ms_db: float  # PostgreSQL CPU per request (0 for SQLite: it runs inside the server)
    cpu_ms_client: float  # load generator CPU per request
    worker_share: list[float]  # each server worker's share of the app CPU
    other_cores: float  # cores' worth of CPU used meanwhile by processes not in the benchmark
    reference_ms: float  # harness.reference_ms right after the figure: the machine's speed
    # The statistics' fold of the load's registrations, run after it and counted in `seconds`
    # and `per_second` as if no request overlapped it (PostgreSQL).
    fold_seconds: float = 0.0


def run_load(
    server: Server,
    token: str,
    plans: list[tuple[list[Request], list[Request]]],
    *,
    expect: int,
    max_seconds: float,
) -> Load:
    """Run each (warm-up, measured) request list in its own process; all start together.

    Each client stops after its requests or after `max_seconds`, whichever comes first.
    """
    context = mp.get_context("fork")
    barrier = context.Barrier(len(plans) + 1)
    processes: list[tuple[Any, Connection]] = []
    for warmup, requests in plans:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_client,
            args=(server.port, token, warmup, requests, expect, max_seconds, barrier, sender),
        )
        process.start()
        sender.close()
        processes.append((process, receiver))
    barrier.wait(timeout=300)
    app_before, db_before = server.worker_ticks(), _ticks(_postgres_pids(server.database))
    busy_before = _machine_busy_ticks()
    results: list[ClientResult] = [receiver.recv() for _process, receiver in processes]
    app_after, db_after = server.worker_ticks(), _ticks(_postgres_pids(server.database))
    busy_after = _machine_busy_ticks()
    for process, _receiver in processes:
        process.join(timeout=30)
    latencies = [latency for result in results for latency in result.latencies]
    seconds = max(r.finished for r in results) - min(r.started for r in results)
    tick = os.sysconf("SC_CLK_TCK")
    count = len(latencies)
    app_ticks = {pid: app_after.get(pid, 0) - app_before.get(pid, 0) for pid in app_after}
    app_total = sum(app_ticks.values())
    # Backends that came or went meanwhile are not ours: ours stay connected throughout.
    db_total = sum(max(0, db_after.get(pid, before) - before) for pid, before in db_before.items())
    client_ticks = sum(r.cpu_seconds for r in results) * tick
    other = (busy_after - busy_before) - app_total - db_total - client_ticks
    return Load(
        clients=len(plans),
        requests=count,
        seconds=seconds,
        per_second=count / seconds,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p95_ms=percentile(latencies, 0.95) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        errors=sum(r.errors for r in results),
        first_error=next((r.first_error for r in results if r.first_error), ""),
        reconnects=sum(r.reconnects for r in results),
        cpu_ms_app=app_total / tick / count * 1000,
        cpu_ms_db=db_total / tick / count * 1000,
        cpu_ms_client=sum(r.cpu_seconds for r in results) / count * 1000,
        worker_share=sorted(
            (round(t / app_total, 2) for t in app_ticks.values() if t), reverse=True
        )
        if app_total
        else [],
        other_cores=max(0.0, other / tick / seconds),
        reference_ms=reference_ms(),
    )


def _proc_ticks(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _ticks(pids: list[int]) -> dict[int, int]:
    return {pid: _proc_ticks(pid) for pid in pids}


def _machine_busy_ticks() -> int:
    """CPU time spent by the whole machine, all cores, idle and I/O wait excepted."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return user + nice + system + irq + softirq + steal


def _postgres_pids(database: str) -> list[int]:
    """The server processes working for this benchmark: the backends connected to its database,
    and the WAL writer, checkpointer and background writer (which write what its commits log).
    Other databases' backends on the same server are left out.
    """
    ours = (f" {database} ", "walwriter", "checkpointer", "background writer")
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() != "postgres":
                    continue
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if any(part in title for part in ours):
                pids.append(int(entry.name))
    return pids


# --------------------------------------------------------------------------------------------
# The production server
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerConfig:
    workers: int
    threads: int

    def describe(self) -> str:
        return (
            f"granian {self.workers} workers, {self.threads} threads each, HTTP/1.1 keep-alive, "
            "settings indgang.conf.production"
        )


class Server:
    def __init__(self, config: ServerConfig, env: dict[str, str], log: Path) -> None:
        self.config = config
        self.port = _free_port()
        self.log = log
        # Its PostgreSQL database (SQLite: a path no backend names), whose backends' CPU counts.
        self.database = urlparse(env.get("DATABASE_URL", "")).path.lstrip("/")
        # As the README's production command, on a free port of this machine.
        command = [
            str(BIN / "granian"),
            "--interface=wsgi",
            f"--host={HOST}",
            f"--port={self.port}",
            f"--workers={config.workers}",
            f"--blocking-threads={config.threads}",
            "--http=1",
            "--runtime-mode=st",
            "--respawn-failed-workers",
            "--no-ws",
            "--log-level=warning",
            "indgang.wsgi:application",
        ]
        self._log_file = log.open("w")
        # A session of its own, so that its workers go with it if it has to be killed.
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, token: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {self.log}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
                connection.request(
                    "GET",
                    "/api/v1/contacts/?page_size=1",
                    headers={"Authorization": f"Token {token}"},
                )
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return
                raise RuntimeError(f"the server answered {status}; see {self.log}")
            except (ConnectionError, TimeoutError):  # not listening yet, or still booting
                time.sleep(0.2)
        raise RuntimeError(f"the server did not start in {timeout} s; see {self.log}")

    def settle(self, timeout: float = 120) -> None:
        """Wait until every worker has booted (importing the app is CPU work): no boot time
        may land in the first figure."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = self.worker_ticks()
            time.sleep(0.5)
            after = self.worker_ticks()
            busy = sum(after.values()) - sum(before.values())
            if len(after) >= self.config.workers and busy <= 2:
                return
        raise RuntimeError(f"the server's workers still busy after {timeout} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_ticks(self) -> dict[int, int]:
        return _ticks(self.worker_pids())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log_file.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


# --------------------------------------------------------------------------------------------
# In-process phases (run in a child process, with Django set up for one database)
# --------------------------------------------------------------------------------------------


def phase_setup(payload: dict[str, Any]) -> dict[str, Any]:
    """Organisation, staff, KLE subset and two tasks through the services, a stored triage
    model (as every running system has one); the API token."""
    setup_django()
    from django.utils import timezone

    from indgang.catalogue.models import Task
    from indgang.catalogue.services import import_kle, import_task_catalogue
    from indgang.organisation.constants import Role
    from indgang.organisation.services import (
        ensure_department,
        ensure_municipality,
        ensure_staff_user,
        ensure_unit,
        issue_api_token,
    )
    from indgang.triage.services import train_model

    municipality = ensure_municipality(code="999", name="Benchmark Kommune")
    frontline = ensure_department(
        municipality=municipality, abbreviation="KBS", name="Borgerservice"
    )
    building = ensure_department(
        municipality=municipality, abbreviation="BTF", name="Teknik og Miljø"
    )
    centre = ensure_unit(department=frontline, name="Kontaktcenter", is_frontline=True)
    cases = ensure_unit(department=building, name="Byggesager")
    user = ensure_staff_user(
        username=USERNAME,
        password=PASSWORD,
        full_name="Bench Skranke",
        roles=[(Role.FRONTLINE, frontline, centre)],
    )
    ensure_staff_user(
        username="bench-byg",
        password=PASSWORD,
        full_name="Bench Byg",
        roles=[(Role.CASEWORKER, building, cases)],
    )
    import_kle(path=KLE_SUBSET)
    tasks_csv = Path(payload["dir"]) / "contacts-tasks.csv"
    tasks_csv.write_text(TASKS_CSV, encoding="utf-8")
    import_task_catalogue(path=tasks_csv, departments={"KBS": frontline, "BTF": building})
    task = Task.objects.get(title="Tilslutning til fjernvarme")
    train_model(now=timezone.now())
    token = issue_api_token(user=user, name="bench", expires_in_days=None, now=timezone.now())
    queries = count_queries(
        token=token.secret,
        task_id=task.pk,
        fresh=payload["fresh"],
        repeat=payload["repeat"],
        sql_file=Path(payload["dir"]) / f"queries-{payload['db']}-empty.txt",
    )
    return {"token": token.secret, "task_id": task.pk, "queries": queries}


def phase_import(payload: dict[str, Any]) -> dict[str, Any]:
    """Time `indgang import-contacts` on the CSV; then find the parties the overview reads."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from indgang.contacts.models import Contact
    from indgang.parties.identifiers import cpr_digest
    from indgang.parties.models import Party

    before = Contact.objects.count()
    output = io.StringIO()
    started = time.perf_counter()
    call_command("import-contacts", payload["csv"], user=USERNAME, stdout=output)
    seconds = time.perf_counter() - started
    imported = Contact.objects.count() - before
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of such an import (insert-driven vacuum and
        # analyze): planner statistics and a visibility map, as a running system has them.
        # (This machine's server runs with autovacuum off.)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    parties = {
        name: Party.objects.get(cpr_digest=cpr_digest(payload[name]))
        for name in ("busy", "regular")
    }
    queries = count_queries(
        token=payload["token"],
        task_id=payload["task_id"],
        fresh=payload["fresh"],
        repeat=payload["busy"],
        sql_file=Path(payload["dir"]) / f"queries-{payload['db']}-full.txt",
    )
    return {
        "seconds": seconds,
        "imported": imported,
        "total": Contact.objects.count(),
        **{
            name: {"id": party.pk, "contacts": Contact.objects.filter(party=party).count()}
            for name, party in parties.items()
        },
        "queries": queries,
    }


def count_queries(
    *, token: str, task_id: int, fresh: str, repeat: str, sql_file: Path
) -> dict[str, int]:
    """SQL statements per request, counted in-process with the DRF test client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient(HTTP_HOST=HOST)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    now = dt.datetime.now(dt.UTC)
    rng = random.Random(3)
    counts: dict[str, int] = {}
    log: list[str] = []

    def measure(name: str, expect: int, call: Callable[[], Any]) -> Any:
        with CaptureQueriesContext(connection) as captured:
            response = call()
        if response.status_code != expect:
            raise RuntimeError(f"{name}: {response.status_code} {response.content[:500]!r}")
        counts[name] = len(captured.captured_queries)
        log.append(f"## {name}: {counts[name]} statements")
        log.extend(query["sql"] for query in captured.captured_queries)
        log.append("")
        return response

    def post(cpr: str, task: int | None) -> Any:
        return client.post(
            "/api/v1/contacts/",
            contact_body(rng, cpr=cpr, task_id=task, now=now),
            content_type="application/json",
        )

    # Once unmeasured, so first-use costs (content types, translations) stay out of the counts.
    post(repeat, task_id)
    measure("POST new citizen", 201, lambda: post(fresh, None))
    party_id = measure("POST known citizen + task", 201, lambda: post(repeat, task_id)).json()[
        "party"
    ]
    measure("GET list", 200, lambda: client.get("/api/v1/contacts/"))
    measure("GET overview", 200, lambda: client.get(f"/api/v1/parties/{party_id}/overview/"))
    sql_file.write_text("\n".join(log), encoding="utf-8")
    return counts


def phase_fold(payload: dict[str, Any]) -> dict[str, Any]:
    """Time the statistics' fold of the contacts registered since the last one (PostgreSQL's
    registrations wait for it to reach the rollups: part of what keeping them current costs)."""
    setup_django()
    from indgang.statistics.services import fold_new_contact_counts

    started = time.perf_counter()
    fold_new_contact_counts()
    return {"seconds": time.perf_counter() - started}


PHASES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "setup": phase_setup,
    "import": phase_import,
    "fold": phase_fold,
}


# --------------------------------------------------------------------------------------------
# One database's run
# --------------------------------------------------------------------------------------------


def describe_load(load: Load, what: str) -> str:
    db_cpu = f", PostgreSQL {load.cpu_ms_db:.2f} ms" if load.cpu_ms_db else ""
    problems = f"; {load.errors} ERRORS, first: {load.first_error}" if load.errors else ""
    fold = f", statistics' fold after them {load.fold_seconds:.2f} s" if load.fold_seconds else ""
    return (
        f"{what}: {load.per_second:7.1f} req/s ({load.requests} in {load.seconds:.2f} s{fold}), "
        f"p50 {load.p50_ms:.1f} ms, p95 {load.p95_ms:.1f} ms, p99 {load.p99_ms:.1f} ms | "
        f"CPU per request: server {load.cpu_ms_app:.2f} ms{db_cpu}, "
        f"load generator {load.cpu_ms_client:.2f} ms (all three on {os.cpu_count()} cores: "
        f"at most {ceiling(load):.0f} req/s) | worker shares {load.worker_share} | "
        f"reference loop {load.reference_ms:.0f} ms"
        f"{problems}{_noise(load)}"
    )


def ceiling(load: Load) -> float:
    """Requests per second if the server, database and load generator kept every core busy."""
    cpu_ms = load.cpu_ms_app + load.cpu_ms_db + load.cpu_ms_client
    return (os.cpu_count() or 1) * 1000 / cpu_ms if cpu_ms else 0.0


def _noise(load: Load) -> str:
    if load.other_cores < NOISY_CORES:
        return ""
    return (
        f" | WARNING: other processes used {load.other_cores:.1f} of the "
        f"{os.cpu_count()} cores meanwhile: this figure is not representative"
    )


def bench_database(
    db: str,
    plan: Plan,
    config: ServerConfig,
    clients: int,
    *,
    rollups: bool = True,
    pg_database: str = PG_DB,
) -> dict[str, Any]:
    started = time.perf_counter()
    env = environment(prepare_database(db, sqlite_name="contacts", pg_database=pg_database))
    subprocess.run([str(BIN / "indgang"), "migrate", "--noinput", "-v0"], env=env, check=True)
    say(db, f"migrated a fresh database in {time.perf_counter() - started:.1f} s")
    if not rollups:
        dropped = drop_rollup_triggers(env)
        say(db, f"without the rollups: dropped the triggers {', '.join(dropped)}")
    needed = plan.warmup * (1 + clients) + plan.post_single + plan.post_each * clients
    all_cprs = fictitious_cprs(needed + plan.import_rows + 1_000 + 10, seed=11)
    people = People(fresh=all_cprs[1_001:], repeats=all_cprs[1:1_001], busy=all_cprs[0])
    shared: dict[str, Any] = {"db": db, "dir": str(BENCH_DIR)}
    # The statements are counted as a process that remembers no token or task serves them,
    # so every request shows all it may need; a busy process skips those look-ups.
    counting = {**env, "INDGANG_API_CACHE_SECONDS": "0"}
    setup = run_phase(
        __file__,
        "setup",
        {**shared, "fresh": people.take_fresh(1)[0], "repeat": people.repeats[0]},
        counting,
    )
    token, task_id = setup["token"], setup["task_id"]
    say(db, "SQL per request, nearly empty register: " + _queries(setup["queries"]))
    result: dict[str, Any] = {"queries_empty": setup["queries"], "server": config.describe()}

    server = Server(config, env, BENCH_DIR / f"server-{db}.log")
    try:
        server.wait_ready(token)
        server.settle()
        say(db, f"serving with {config.describe()}")
        now = dt.datetime.now(dt.UTC)

        def posts(count: int, seed: int) -> list[Request]:
            return [
                ("POST", "/api/v1/contacts/", body)
                for body in post_bodies(people, count, task_id=task_id, seed=seed, now=now)
            ]

        def with_fold(load: Load) -> Load:
            """The load with the fold of its registrations (and warm-up's) after it."""
            if db != "postgres":
                return load
            fold = run_phase(__file__, "fold", {}, env)["seconds"]
            seconds = load.seconds + fold
            return replace(
                load, seconds=seconds, per_second=load.requests / seconds, fold_seconds=fold
            )

        if db == "postgres":
            run_phase(__file__, "fold", {}, env)  # the set-up's registrations, before the loads
        single = with_fold(
            run_load(
                server,
                token,
                [(posts(plan.warmup, 1), posts(plan.post_single, 2))],
                expect=201,
                max_seconds=plan.max_seconds,
            )
        )
        say(db, describe_load(single, "POST /api/v1/contacts/, 1 client "))
        plans = [
            (posts(plan.warmup, 10 + n), posts(plan.post_each, 20 + n)) for n in range(clients)
        ]
        many = with_fold(
            run_load(
                server,
                token,
                plans,
                expect=201,
                max_seconds=plan.max_seconds,
            )
        )
        say(db, describe_load(many, f"POST /api/v1/contacts/, {clients} clients"))
        result["post_1"], result["post_n"] = asdict(single), asdict(many)

        csv_path = BENCH_DIR / f"import-{db}.csv"
        write_import_csv(csv_path, people, plan.import_rows, task_id=task_id, now=now)
        imported = run_phase(
            __file__,
            "import",
            {
                **shared,
                "csv": str(csv_path),
                "busy": people.busy,
                "regular": people.repeats[1],
                "token": token,
                "task_id": task_id,
                "fresh": people.take_fresh(1)[0],
            },
            counting,
        )
        rate = imported["imported"] / imported["seconds"]
        say(
            db,
            f"bulk import (indgang import-contacts): {rate:7.1f} contacts/s "
            f"({imported['imported']} in {imported['seconds']:.2f} s); "
            f"{imported['total']} contacts now in the register",
        )
        say(db, "SQL per request, full register:          " + _queries(imported["queries"]))
        result["import"] = {**imported, "per_second": rate}

        busy, regular = imported["busy"], imported["regular"]
        reads = {
            "GET list (first page, 50)": "/api/v1/contacts/",
            f"GET overview, busiest party ({busy['contacts']} contacts)": (
                f"/api/v1/parties/{busy['id']}/overview/"
            ),
            f"GET overview, regular citizen ({regular['contacts']} contacts)": (
                f"/api/v1/parties/{regular['id']}/overview/"
            ),
        }
        result["reads"] = {}
        for what, path in reads.items():
            get: Request = ("GET", path, None)
            alone = run_load(
                server,
                token,
                [([get] * plan.warmup, [get] * plan.reads)],
                expect=200,
                max_seconds=plan.max_seconds,
            )
            say(db, describe_load(alone, f"{what}, 1 client "))
            together = run_load(
                server,
                token,
                [([get] * (plan.warmup // 4), [get] * plan.reads_each)] * clients,
                expect=200,
                max_seconds=plan.max_seconds,
            )
            say(db, describe_load(together, f"{what}, {clients} clients"))
            result["reads"][what] = {"1": asdict(alone), "n": asdict(together)}
    finally:
        server.stop()
    say(db, f"done in {time.perf_counter() - started:.0f} s")
    return result


def drop_rollup_triggers(env: dict[str, str]) -> list[str]:
    """Drop the statistics' triggers in the benchmark database: the register as before them,
    to measure what they cost a registration (benchmarks/statistics.py)."""
    import dj_database_url

    settings = dj_database_url.parse(env["DATABASE_URL"])
    if settings["ENGINE"].endswith("sqlite3"):
        import sqlite3

        with sqlite3.connect(settings["NAME"]) as database:
            names = [
                name
                for (name,) in database.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                    "AND name LIKE 'statistics%'"
                )
            ]
            for name in names:
                database.execute(f'DROP TRIGGER "{name}"')
        return names
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as database:
        found = database.execute(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
            "WHERE NOT tgisinternal AND tgname LIKE 'statistics%'"
        ).fetchall()
        for name, table in found:
            database.execute(f'DROP TRIGGER "{name}" ON {table}')
    return [name for name, _table in found]


def _queries(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


def summary(results: dict[str, dict[str, Any]], clients: int) -> str:
    rows: list[tuple[str, str, str]] = []  # figure, value, target
    for db, result in results.items():
        rows.append((f"== {db}: {result['server']}", "", ""))
        for key, label in (("post_1", "1 client"), ("post_n", f"{clients} clients")):
            load = result[key]
            target = f">= {TARGET_POSTS_PER_S:.0f}/s" if key == "post_n" else ""
            rows.append(
                (
                    f"POST contacts/s, {label} (p50 / p95)",
                    f"{load['per_second']:.0f}/s ({load['p50_ms']:.1f} / {load['p95_ms']:.1f} ms)",
                    _verdict(target, load["per_second"] >= TARGET_POSTS_PER_S) + _flag(load),
                )
            )
        rows.append(("bulk import contacts/s", f"{result['import']['per_second']:.0f}/s", ""))
        for what, figures in result["reads"].items():
            for key, label in (("1", "1 client"), ("n", f"{clients} clients")):
                load = figures[key]
                rows.append(
                    (
                        f"{what}, {label}: p50 / p95",
                        f"{load['p50_ms']:.1f} / {load['p95_ms']:.1f} ms",
                        _verdict(f"p95 <= {TARGET_P95_MS:.0f} ms", load["p95_ms"] <= TARGET_P95_MS)
                        + _flag(load),
                    )
                )
        speeds = [result[key]["reference_ms"] for key in ("post_1", "post_n")] + [
            figures[key]["reference_ms"] for figures in result["reads"].values() for key in "1n"
        ]
        rows.append(
            (
                "reference loop (fixed Python work; machine speed)",
                f"{min(speeds):.0f}-{max(speeds):.0f} ms",
                "",
            )
        )
        for name, count in result["queries_empty"].items():
            full = result["import"]["queries"][name]
            rows.append(
                (
                    f"SQL statements, {name} (empty / full register)",
                    f"{count} / {full}",
                    _verdict("constant", count == full),
                )
            )
    figures = [row for row in rows if row[1]]
    width = max(len(row[0]) for row in figures)
    value_width = max(len(row[1]) for row in figures)
    lines = ["", "Summary", "-" * (width + value_width + 30)]
    lines += [f"{a:<{width}}  {b:>{value_width}}  {c}".rstrip() if b else a for a, b, c in rows]
    return "\n".join(lines)


def _flag(load: dict[str, Any]) -> str:
    problems = []
    if load["errors"]:
        problems.append(f"{load['errors']} errors")
    if load["other_cores"] >= NOISY_CORES:
        problems.append(f"other processes used {load['other_cores']:.1f} cores")
    return f" ({'; '.join(problems)})" if problems else ""


def _verdict(target: str, met: bool) -> str:
    if not target:
        return ""
    return f"target {target}: {'met' if met else 'NOT met'}"


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, PHASES)
    parser.add_argument("--quick", action="store_true", help="A short smoke run.")
    parser.add_argument("--clients", type=int, default=4, help="Concurrent clients (4).")
    parser.add_argument("--workers", type=int, default=2, help="Server worker processes (2).")
    parser.add_argument("--threads", type=int, default=2, help="Threads per worker (2).")
    parser.add_argument(
        "--no-rollups",
        action="store_true",
        help="Drop the statistics' rollup triggers first: what they cost a registration.",
    )
    parser.add_argument(
        "--pg-database", default=PG_DB, help=f"Dropped and created (default {PG_DB})."
    )
    args = parser.parse_args(argv)
    if ran_phase(args, PHASES):
        return 0
    plan = QUICK if args.quick else FULL
    config = ServerConfig(workers=args.workers, threads=args.threads)
    databases = databases_to_run(args.db)
    print(
        f"Indgang contact benchmark: {'quick' if args.quick else 'full'} run, {os.cpu_count()} "
        f"CPUs, databases {', '.join(databases)}; load generator: {args.clients} processes "
        "with keep-alive HTTP/1.1 connections to 127.0.0.1",
        flush=True,
    )
    results = {
        db: bench_database(
            db,
            plan,
            config,
            args.clients,
            rollups=not args.no_rollups,
            pg_database=args.pg_database,
        )
        for db in databases
    }
    print(summary(results, args.clients))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
