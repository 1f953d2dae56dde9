"""Names the sign-in keeps in a session, and the user name token failures are counted under."""

# Set at a password login of a user who must give a second factor; removed when they have.
SECOND_FACTOR_PENDING = "indgang.second_factor_pending"
# When the session began and when it was last seen in use, as POSIX seconds.
SESSION_STARTED = "indgang.session_started"
SESSION_SEEN = "indgang.session_seen"
# How stale the last-seen time may get before a request writes it again: a session is not saved
# on every request, so it ends up to this much earlier than its idle limit.
SEEN_RESOLUTION_SECONDS = 60

# Failed API tokens are counted by django-axes under this user name and the client's address, so
# a token guesser is locked out by address. Django's user names cannot contain angle brackets.
API_TOKEN_USERNAME = "<api-token>"  # noqa: S105 - a user name, not a secret
# A process that has seen an address locked out refuses its tokens without asking the database,
# and asks again after this long (an `axes_reset` takes effect within it).
LOCKOUT_RECHECK_SECONDS = 60
