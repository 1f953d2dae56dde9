from collections.abc import Iterator

import pytest

from indgang.signin.selectors import forget_locked_token_clients


@pytest.fixture(autouse=True)
def no_remembered_lockouts() -> Iterator[None]:
    """What one test locked out in this process's memory is not locked out in the next."""
    forget_locked_token_clients()
    yield
    forget_locked_token_clients()
