from django.urls import URLPattern, URLResolver, path

from indgang.search.api.views import SearchView

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", SearchView.as_view(), name="api-search"),
]
