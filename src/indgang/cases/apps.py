from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "indgang.cases"
    verbose_name = "Cases"
