from django.urls import path

from indgang.statistics.api.views import (
    CostView,
    KomHenView,
    KpiView,
    UnitCostTableListView,
    WhatIfView,
)

urlpatterns = [
    path("statistics/kpis/", KpiView.as_view(), name="statistics-kpis"),
    path("statistics/costs/", CostView.as_view(), name="statistics-costs"),
    path("statistics/costs/what-if/", WhatIfView.as_view(), name="statistics-what-if"),
    path(
        "statistics/unit-cost-tables/",
        UnitCostTableListView.as_view(),
        name="statistics-unit-cost-tables",
    ),
    path("statistics/komhen/", KomHenView.as_view(), name="statistics-komhen"),
]
