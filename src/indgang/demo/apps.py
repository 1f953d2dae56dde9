from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make demo`: Copenhagen's task list (003, Bilag 1) and invented contacts."""

    name = "indgang.demo"
