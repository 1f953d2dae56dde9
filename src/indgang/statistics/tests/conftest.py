"""The knowledge tests' article fixture, for the rollups' knowledge uses."""

from indgang.knowledge.tests.fixtures import make_article

__all__ = ["make_article"]
