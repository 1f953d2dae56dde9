from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from indgang.common.tests.clamd import (
    EICAR,
    EICAR_FOUND_AS,
    clamd_on_tcp,
    clamd_on_unix_socket,
    nothing_listening,
    real_clamd,
)
from indgang.common.virusscan import (
    ClamdScanner,
    NoScanner,
    ScannerUnavailableError,
    ScanResult,
    get_scanner,
)


def test_a_clean_stream_is_sent_to_clamd_in_length_prefixed_chunks_and_passes() -> None:
    data = os.urandom(200_000)
    with clamd_on_tcp() as (url, peer):
        result = ClamdScanner(url=url, timeout=5).scan(chunks=[data[:150_000], data[150_000:]])

    assert result == ScanResult(infected=False)
    assert peer.commands == [b"zINSTREAM\0"]
    assert peer.received == [data]


def test_the_eicar_test_file_is_found_through_a_unix_socket(tmp_path: Path) -> None:
    with clamd_on_unix_socket(tmp_path / "clamd.ctl") as (url, peer):
        result = ClamdScanner(url=url, timeout=5).scan(chunks=[b"Hej\n", EICAR])

    assert result == ScanResult(infected=True, signature="Eicar-Signature")
    assert peer.received == [b"Hej\n" + EICAR]


def test_clamavs_own_daemon_passes_a_clean_file_and_finds_eicar(tmp_path: Path) -> None:
    with real_clamd(tmp_path) as url:
        scanner = ClamdScanner(url=url, timeout=30)
        clean = scanner.scan(chunks=[b"%PDF-1.4\n", os.urandom(300_000)])
        infected = scanner.scan(chunks=[b"Hej\n", EICAR[:10], EICAR[10:]])

    assert clean == ScanResult(infected=False)
    assert infected == ScanResult(infected=True, signature=EICAR_FOUND_AS)


def test_a_clamd_that_does_not_answer_is_an_error_never_a_pass() -> None:
    with pytest.raises(ScannerUnavailableError):
        ClamdScanner(url=nothing_listening(), timeout=5).scan(chunks=[b"Hej\n"])


def test_the_settings_choose_the_scanner(settings: Settings) -> None:
    settings.CLAMAV_URL = ""
    assert isinstance(get_scanner(), NoScanner)

    settings.CLAMAV_URL = "tcp://clamav.internal:3310"
    settings.CLAMAV_TIMEOUT_SECONDS = 7.0
    assert get_scanner() == ClamdScanner(url="tcp://clamav.internal:3310", timeout=7.0)
