from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from indgang.knowledge.api import views

router = SimpleRouter()
router.register("knowledge/articles", views.ArticleViewSet, basename="article")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(router.urls)),
    path("knowledge/guides/<id:task_id>/", views.GuideView.as_view(), name="api-guide"),
    path(
        "knowledge/guides/<id:task_id>/history/",
        views.GuideHistoryView.as_view(),
        name="api-guide-history",
    ),
    path("knowledge/report/", views.ReportView.as_view(), name="api-knowledge-report"),
    path(
        "contacts/<id:contact_id>/knowledge-used/",
        views.KnowledgeUsedView.as_view(),
        name="api-knowledge-used",
    ),
]
