"""A periodic probe task, for workers only (`--include`): never imported by the test process,
where it would join every `tick()` of other tests."""

from __future__ import annotations

import datetime as dt

from indgang.common.tasks import Every, task
from indgang.common.tests.probe import PERIODIC_KEY, record


# One slot from 2019-12-27 to 2039-12-22: a test never crosses into the next one.
@task(name="test.probe_periodic", schedule=Every(dt.timedelta(days=7300)))
def probe_periodic() -> None:
    record(PERIODIC_KEY)
