from django.urls import path

from indgang.cases.api.views import ServiceTargetReportView, WorkListView

urlpatterns = [
    path("cases/work-list/", WorkListView.as_view(), name="case-work-list"),
    path("cases/servicemal-report/", ServiceTargetReportView.as_view(), name="servicemal-report"),
]
