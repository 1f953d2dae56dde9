from django.urls import URLPattern, URLResolver, path

from indgang.statistics import views
from indgang.statistics.dashboard import views as dashboard_views

app_name = "statistics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("statistik/", dashboard_views.dashboard, name="dashboard"),
    path("statistik/statusrapport/", dashboard_views.status_report, name="status-report"),
    path("statistik/maal/", views.goals, name="goals"),
    path("statistik/omkostninger/", views.costs, name="costs"),
    path("statistik/omkostninger/hvad-hvis/", views.costs_what_if, name="what-if"),
    path(
        "statistik/omkostninger/tabeller/",
        views.unit_cost_table_from_preset,
        name="unit-cost-table-from-preset",
    ),
    path(
        "statistik/omkostninger/tabeller/<id:table_id>/",
        views.unit_cost_table_edit,
        name="unit-cost-table-edit",
    ),
    path(
        "statistik/omkostninger/tabeller/<id:table_id>/i-brug/",
        views.unit_cost_table_use,
        name="unit-cost-table-use",
    ),
    path("statistik/komhen/", views.komhen, name="komhen"),
    path("statistik/komhen.csv", views.komhen_csv_download, name="komhen-csv"),
    path("statistik/komhen.xlsx", views.komhen_xlsx_download, name="komhen-xlsx"),
    path("statistik/selvbetjening/", views.self_service, name="self-service-statistics"),
    path("statistik/koe/", views.queue_statistics, name="queue"),
]
