from __future__ import annotations

import pytest

from indgang.conftest import CPR_A, CVR_A
from indgang.parties.identifiers import (
    InvalidIdentifierError,
    clean_cpr,
    clean_cvr,
    cpr_digest,
    decrypt_cpr,
    encrypt_cpr,
    mask_cpr,
)


def test_cpr_is_cleaned_of_separators() -> None:
    assert clean_cpr("010190-1234") == CPR_A
    assert clean_cpr(" 010190 1234 ") == CPR_A


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("01019012", "Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX)."),
        ("3213901234", "CPR-nummeret begynder ikke med en gyldig fødselsdato."),
        ("01019O1234", "CPR-nummeret er ikke gyldigt."),
    ],
)
def test_invalid_cpr_gets_a_danish_message(value: str, message: str) -> None:
    with pytest.raises(InvalidIdentifierError) as error:
        clean_cpr(value)

    assert str(error.value) == message


def test_cvr_check_digit_is_verified() -> None:
    assert clean_cvr(CVR_A) == CVR_A
    with pytest.raises(InvalidIdentifierError) as error:
        clean_cvr("13585491")
    assert str(error.value) == "CVR-nummerets kontrolciffer passer ikke; tjek nummeret."


def test_cpr_is_encrypted_and_its_digest_is_stable_and_opaque() -> None:
    token = encrypt_cpr(CPR_A)

    assert CPR_A not in token
    assert decrypt_cpr(token) == CPR_A
    assert cpr_digest(CPR_A) == cpr_digest(CPR_A)
    assert len(cpr_digest(CPR_A)) == 64
    assert CPR_A not in cpr_digest(CPR_A)
    assert mask_cpr(CPR_A) == "010190-xxxx"
