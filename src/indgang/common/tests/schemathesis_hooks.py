"""A check of our own for Schemathesis, loaded through SCHEMATHESIS_HOOKS by
test_api_fuzzing.py (and by hand, README): every refusal is JSON, in Danish."""

from __future__ import annotations

import re
from typing import Any

import schemathesis

# Openings of DRF's and Django's English messages: none may reach a client in Danish.
ENGLISH = re.compile(
    r"This field|Ensure this|is not a valid|Invalid|Not found|may not be|Expected a|"
    r"is required|Authentication credentials|You do not have permission"
)


@schemathesis.check
def danish_json_refusals(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx answer is a JSON object, says it is in Danish and holds no English message."""
    if not 400 <= response.status_code < 500:
        return None
    language = response.headers.get("content-language", [""])[0]
    assert language == "da", f"A {response.status_code} in {language or 'no language'}."
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), f"A refusal as {content_type}."
    body = response.json()
    assert isinstance(body, dict), f"A refusal that is not an object: {body!r}"
    english = ENGLISH.search(response.text)
    assert english is None, f"An English message: {response.text[:300]}"
    return True
