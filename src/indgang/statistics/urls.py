from django.urls import URLPattern, URLResolver, path

from indgang.statistics import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("statistik/selvbetjening/", views.self_service, name="self-service-statistics"),
]
