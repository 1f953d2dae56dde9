from django.urls import URLPattern, URLResolver, path

from indgang.cases import report_views, views

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", report_views.work_list, name="work-list"),
    path("cases/mine/", report_views.my_cases, name="my-cases"),
    path("cases/servicemal/", report_views.report, name="servicemal-report"),
    path("cases/servicemal.csv", report_views.report_csv, name="servicemal-report-csv"),
    path("cases/<id:case_id>/", views.case_detail, name="detail"),
    path("cases/<id:case_id>/actions/", views.case_action, name="action"),
    path("cases/<id:case_id>/service-need/", views.change_service_need, name="service-need"),
]
