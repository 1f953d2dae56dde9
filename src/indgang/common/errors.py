"""Codes that services give their ValidationErrors, for the API to choose a status by."""

# The action does not fit the state its subject is in (a completed deadline completed again, an
# article changed from an old version): the API answers 409 Conflict rather than 400.
CONFLICT = "conflict"
