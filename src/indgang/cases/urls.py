from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

from indgang.cases import report_views

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", report_views.work_list, name="work-list"),
    path("cases/mine/", report_views.my_cases, name="my-cases"),
    path("cases/servicemal/", report_views.report, name="servicemal-report"),
    path("cases/servicemal.csv", report_views.report_csv, name="servicemal-report-csv"),
    # Until the case screen (branch i19-screen, views.case_detail) is merged: the API's detail.
    path(
        "cases/<id:case_id>/", RedirectView.as_view(url="/api/v1/cases/%(case_id)s/"), name="detail"
    ),
]
