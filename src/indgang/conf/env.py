"""Read each environment variable once, with its default and a help text.

Every call registers the variable so `indgang config-docs` can write docs/configuration.md
and `.env.example` from the same source of truth.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    secret: bool
    shown_default: str | None


REGISTRY: dict[str, Setting] = {}


class MissingSettingError(RuntimeError):
    pass


def config(
    name: str,
    default: str | None,
    *,
    help: str,  # noqa: A002
    secret: bool = False,
    shown_default: str | None = None,
) -> str:
    """Return the variable's value; a `None` default makes it required and never empty.

    `shown_default` documents a default computed from another setting.
    """
    REGISTRY[name] = Setting(name, default, help, secret, shown_default)
    value = os.environ.get(name, default)
    if value is None or (default is None and not value):
        raise MissingSettingError(f"{name} must be set: {help}")
    return value


def config_bool(name: str, default: bool, *, help: str) -> bool:  # noqa: A002
    return config(name, "true" if default else "false", help=help).lower() in {"1", "true", "yes"}


def config_list(name: str, default: str, *, help: str) -> list[str]:  # noqa: A002
    return [item.strip() for item in config(name, default, help=help).split(",") if item.strip()]
