from django.urls import path

from indgang.knowledge import views

urlpatterns = [
    path("knowledge/", views.article_list, name="knowledge-articles"),
    path("knowledge/articles/new/", views.article_create, name="knowledge-article-new"),
    path("knowledge/articles/<id:article_id>/", views.article_detail, name="knowledge-article"),
    path(
        "knowledge/articles/<id:article_id>/edit/",
        views.article_edit,
        name="knowledge-article-edit",
    ),
    path("knowledge/tasks/<id:task_id>/guide/", views.guide_detail, name="knowledge-guide"),
    path("knowledge/tasks/<id:task_id>/guide/edit/", views.guide_edit, name="knowledge-guide-edit"),
    path("knowledge/stale/", views.stale_list, name="knowledge-stale"),
    path("knowledge/report/", views.report, name="knowledge-report"),
]
