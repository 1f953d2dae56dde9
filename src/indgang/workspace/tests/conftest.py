"""The cases app's fixtures (receive an application, act on it), for the caseworker's panels."""

from indgang.cases.tests.conftest import act, receive

__all__ = ["act", "receive"]
