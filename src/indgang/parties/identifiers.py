"""CPR and CVR numbers: validation with python-stdnum, and how a CPR is kept.

A CPR is stored encrypted (Fernet) and found through a keyed digest (HMAC-SHA256), so the
database never holds it in plain text and it can only be looked up by the exact number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.dk import cpr as stdnum_cpr
from stdnum.dk import cvr as stdnum_cvr


class InvalidIdentifierError(ValueError):
    pass


def clean_cpr(value: str) -> str:
    """Return the ten digits of a valid CPR number or raise with a Danish message."""
    try:
        return str(stdnum_cpr.validate(value))
    except stdnum_errors.InvalidLength as error:
        raise InvalidIdentifierError(_("A CPR number has 10 digits (DDMMYY-XXXX).")) from error
    except stdnum_errors.InvalidComponent as error:
        raise InvalidIdentifierError(
            _("The CPR number does not start with a valid date of birth.")
        ) from error
    except stdnum_errors.ValidationError as error:
        raise InvalidIdentifierError(_("The CPR number is not valid.")) from error


def clean_cvr(value: str) -> str:
    """Return the eight digits of a valid CVR number or raise with a Danish message."""
    try:
        return str(stdnum_cvr.validate(value))
    except stdnum_errors.InvalidLength as error:
        raise InvalidIdentifierError(_("A CVR number has 8 digits.")) from error
    except stdnum_errors.InvalidChecksum as error:
        raise InvalidIdentifierError(
            _("The CVR number's check digit does not match; check the number.")
        ) from error
    except stdnum_errors.ValidationError as error:
        raise InvalidIdentifierError(_("The CVR number is not valid.")) from error


def parse_identifier(value: str) -> tuple[str | None, str | None]:
    """Read a CPR (10 digits) or CVR (8 digits) number typed at the desk; return (cpr, cvr)."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if not value.strip():
        return None, None
    if len(digits) == 10:
        return clean_cpr(digits), None
    if len(digits) == 8:
        return None, clean_cvr(digits)
    raise InvalidIdentifierError(
        _("Type a CPR number (10 digits) or a CVR number (8 digits), or leave it empty.")
    )


@lru_cache(maxsize=1)
def _keys() -> tuple[Fernet, bytes]:
    key = settings.CPR_KEY.encode()
    # Separate keys for encryption and digest, both derived from the one configured secret.
    digest_key = hashlib.sha256(b"indgang-cpr-digest:" + key).digest()
    fernet_key = base64.urlsafe_b64encode(hashlib.sha256(b"indgang-cpr-fernet:" + key).digest())
    return Fernet(fernet_key), digest_key


def cpr_digest(cpr: str) -> str:
    """The look-up key of a cleaned CPR number."""
    return hmac.new(_keys()[1], cpr.encode(), hashlib.sha256).hexdigest()


def encrypt_cpr(cpr: str) -> str:
    return _keys()[0].encrypt(cpr.encode()).decode()


def decrypt_cpr(token: str) -> str:
    return _keys()[0].decrypt(token.encode()).decode()


def mask_cpr(cpr: str) -> str:
    """Show the date of birth only: 010190-xxxx."""
    return f"{cpr[:6]}-xxxx"


def format_cpr(cpr: str) -> str:
    return f"{cpr[:6]}-{cpr[6:]}"
