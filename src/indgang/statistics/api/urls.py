from django.urls import URLPattern, URLResolver, path

from indgang.statistics.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("statistics/contacts/", views.ContactCountsView.as_view(), name="api-statistics-contacts"),
    path("statistics/kpis/", views.KpiView.as_view(), name="statistics-kpis"),
    path("statistics/costs/", views.CostView.as_view(), name="statistics-costs"),
    path("statistics/costs/what-if/", views.WhatIfView.as_view(), name="statistics-what-if"),
    path(
        "statistics/unit-cost-tables/",
        views.UnitCostTableListView.as_view(),
        name="statistics-unit-cost-tables",
    ),
    path("statistics/komhen/", views.KomHenView.as_view(), name="statistics-komhen"),
]
