from django.urls import URLPattern, URLResolver, path

from indgang.statistics.api.views import FunnelEventsView, FunnelsView, SelfServiceAdviceView

urlpatterns: list[URLPattern | URLResolver] = [
    path("statistics/funnel-events/", FunnelEventsView.as_view(), name="api-funnel-events"),
    path("statistics/funnels/", FunnelsView.as_view(), name="api-funnels"),
    path(
        "statistics/self-service-advice/",
        SelfServiceAdviceView.as_view(),
        name="api-self-service-advice",
    ),
]
