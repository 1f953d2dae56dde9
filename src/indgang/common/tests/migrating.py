"""Tests that migrate the schema back and forth (with the `back_and_forth` fixture of
indgang/conftest.py, which returns it to the latest migration)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]] | None) -> Any:
    """Migrate to the targets (None: to the latest); return the app registry there."""
    executor = MigrationExecutor(connection)
    plan_targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(plan_targets)
    return MigrationExecutor(connection).loader.project_state(plan_targets).apps
