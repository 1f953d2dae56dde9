"""The knowledge tests' article fixture, shared with search."""

from indgang.knowledge.tests.fixtures import make_article

__all__ = ["make_article"]
