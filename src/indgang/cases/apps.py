from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "indgang.cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from indgang.cases.models import Case
        from indgang.cases.subjects import CaseSubject
        from indgang.common.subjects import register_subject

        register_subject(name="case", model=Case, subject_type=CaseSubject())
