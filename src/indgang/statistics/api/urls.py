from django.urls import URLPattern, URLResolver, path

from indgang.statistics.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("statistics/contacts/", views.ContactCountsView.as_view(), name="api-statistics-contacts"),
]
