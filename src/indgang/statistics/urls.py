from django.urls import URLPattern, URLResolver, path

from indgang.statistics.dashboard import views as dashboard_views

app_name = "statistics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("statistik/", dashboard_views.dashboard, name="dashboard"),
    path("statistik/statusrapport/", dashboard_views.status_report, name="status-report"),
]
