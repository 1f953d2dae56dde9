from django.urls import URLPattern, URLResolver, path

from indgang.cases import report_views, views

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", report_views.work_list, name="work-list"),
    path("cases/mine/", report_views.my_cases, name="my-cases"),
    path("cases/servicemal/", report_views.report, name="servicemal-report"),
    path("cases/servicemal.csv", report_views.report_csv, name="servicemal-report-csv"),
    path("cases/<id:case_id>/", views.case_detail, name="detail"),
    path(
        "cases/from-meeting/<id:booking_id>/",
        views.application_from_meeting,
        name="from-meeting",
    ),
    path("cases/<id:case_id>/actions/", views.case_action, name="action"),
    path("cases/<id:case_id>/service-need/", views.change_service_need, name="service-need"),
    path("cases/<id:case_id>/checklist/", views.tick_checklist, name="checklist"),
    path(
        "cases/<id:case_id>/deficiency-letter/",
        views.deficiency_letter,
        name="deficiency-letter",
    ),
    path(
        "cases/<id:case_id>/deficiency-answer/",
        views.deficiency_answer,
        name="deficiency-answer",
    ),
    path(
        "cases/<id:case_id>/deficiency-waiver/",
        views.deficiency_waiver,
        name="deficiency-waiver",
    ),
    path("cases/<id:case_id>/hearings/", views.hearing, name="hearing"),
    path("cases/<id:case_id>/hearing-replies/", views.hearing_reply, name="hearing-reply"),
    path(
        "cases/<id:case_id>/indskaerpelser/",
        views.give_indskaerpelse,
        name="indskaerpelse",
    ),
    *(
        path(
            f"cases/<id:case_id>/indskaerpelser/{step}/",
            views.indskaerpelse_step,
            {"step": step},
            name=f"indskaerpelse-{step}",
        )
        for step in ("remedied", "follow-up", "enforcement")
    ),
    path("cases/<id:case_id>/notes/", views.note, name="note"),
    path("cases/<id:case_id>/documents/", views.document, name="document"),
    path(
        "cases/<id:case_id>/documents/<id:document_id>/",
        views.document_content,
        name="document-content",
    ),
    path("cases/<id:case_id>/parties/", views.party, name="party"),
    path("cases/<id:case_id>/parties/remove/", views.remove_party, name="remove-party"),
    path("cases/<id:case_id>/contacts/", views.contact, name="contact"),
    path("cases/<id:case_id>/caseworkers/", views.caseworkers, name="caseworkers"),
    path("cases/<id:case_id>/take/", views.take, name="take"),
    path("cases/<id:case_id>/letters/<id:letter_id>/pdf/", views.letter_pdf, name="letter-pdf"),
]
