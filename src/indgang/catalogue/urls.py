from django.urls import path

from indgang.catalogue import views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/search/", views.task_search, name="task-search"),
    path("catalogue/summary-templates/", views.summary_templates, name="summary-templates"),
]
