from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from indgang.conftest import CPR_A, CVR_A
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen, get_or_create_company, update_party


@pytest.fixture(autouse=True)
def letter_folders(settings: Settings, tmp_path: Path) -> Path:
    """Each test writes its PDFs and spool files to a folder of its own; messages in Danish."""
    settings.LANGUAGE_CODE = "da"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LETTERS_SPOOL_DIR = tmp_path / "spool"
    settings.LETTERS_SENDER_NAME = "Testkommune"
    settings.LETTERS_SENDER_ADDRESS = "Rådhuspladsen 1, 9999 Testby"
    settings.LETTERS_SENDER_CONTACT = "Tlf. 70 00 00 00 · byg@testkommune.dk"
    settings.LETTERS_SENDER_CVR = "29189978"
    return tmp_path


@pytest.fixture
def citizen(db: None) -> Party:
    party = get_or_create_citizen(cpr=CPR_A, name="Mette Hansen")
    return update_party(
        party=party,
        name="Mette Hansen",
        email="mette@example.dk",
        phone="",
        address="Skovvej 12, 8000 Aarhus C",
    )


@pytest.fixture
def company(db: None) -> Party:
    return get_or_create_company(cvr=CVR_A, name="Smeden ApS")
