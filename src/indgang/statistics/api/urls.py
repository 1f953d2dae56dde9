from django.urls import URLPattern, URLResolver, path

from indgang.statistics.api import funnel_views, views

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
    path("statistics/queue-times/", views.QueueTimesView.as_view(), name="statistics-queue-times"),
    path(
        "statistics/funnel-events/",
        funnel_views.FunnelEventsView.as_view(),
        name="api-funnel-events",
    ),
    path("statistics/funnels/", funnel_views.FunnelsView.as_view(), name="api-funnels"),
    path(
        "statistics/self-service-advice/",
        funnel_views.SelfServiceAdviceView.as_view(),
        name="api-self-service-advice",
    ),
]
