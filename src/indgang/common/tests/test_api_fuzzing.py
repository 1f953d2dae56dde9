"""Schemathesis against the production server: every operation of the schema, with all its
checks, on the demo's data, as an administrator and as the front line.

A bounded run with a fixed seed: the same requests each time, about a minute per database.
The server's log must hold no personal data: no database error's details, no summary.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from pytest_django.fixtures import Settings

from indgang.common.tests.test_production_server import RunningServer, production_server
from indgang.conftest import KLE_FULL, ApiFor
from indgang.demo.services import load_demo

__all__ = ["production_server"]  # the fixture, shared with the production server's own test

CONFIG = Path(__file__).with_name("schemathesis.toml")
HOOKS = "indgang.common.tests.schemathesis_hooks"  # danish_json_refusals, run by --checks all
EXAMPLES_PER_OPERATION = 10
SEED = 18


@pytest.fixture
def server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """The production server, without the debug pages the test settings' environment asks
    for (they would answer an unknown URL with HTML)."""
    monkeypatch.setenv("INDGANG_DEBUG", "false")
    # Schemathesis' authentication checks send wrong tokens on purpose: they must not lock out
    # the address every later request comes from.
    monkeypatch.setenv("INDGANG_API_TOKEN_FAILURE_LIMIT", "1000000")
    # Whatever the server or Schemathesis write in their working directory stays in the test's.
    monkeypatch.chdir(request.getfixturevalue("tmp_path"))
    running: RunningServer = request.getfixturevalue("production_server")
    return running.port


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["admin", "skranke"])  # sees all; routes, content withheld
def test_schemathesis_finds_nothing_against_the_production_server(
    server: int,
    api_for: ApiFor,
    tmp_path: Path,
    username: str,
    settings: Settings,
    seed_data: None,  # what the data migrations seed: an earlier transactional test flushed it
) -> None:
    # The demo's letters and documents go where the server reads them (its INDGANG_VAR_DIR).
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo(kle_path=KLE_FULL, progress=lambda line: None)
    # The Authorization header the project's API client fixture sends, whatever its scheme.
    client = api_for(User.objects.get(username=username))
    authorization: str = vars(client)["_credentials"]["HTTP_AUTHORIZATION"]
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        *("--config-file", str(CONFIG)),
        "run",
        f"http://127.0.0.1:{server}/api/schema/?format=json",
        *("--header", f"Authorization: {authorization}"),
        *("--checks", "all"),
        *("--max-examples", str(EXAMPLES_PER_OPERATION)),
        *("--seed", str(SEED)),
        *("--workers", "1"),
        *("--generation-database", "none"),
        "--no-color",
    ]
    run = subprocess.run(  # noqa: S603 (the project's own test tool)
        command,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SCHEMATHESIS_HOOKS": HOOKS},
        check=False,
    )
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", run.stdout)
    tested = re.search(r"Tested: (\d+)", run.stdout)
    assert selected is not None and tested is not None, run.stdout[-5_000:]
    assert int(tested[1]) == int(selected[1]) == int(selected[2]) > 30, run.stdout[-5_000:]
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "Failing row contains" not in log
    assert "Traceback" not in log, log[-10_000:]
