from django.urls import path

from indgang.search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/front-desk/", views.front_desk_results, name="search-front-desk"),
]
