from django.urls import URLPattern, URLResolver, path

from indgang.statistics.api import funnel_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("statistics/contacts/", views.ContactCountsView.as_view(), name="api-statistics-contacts"),
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
