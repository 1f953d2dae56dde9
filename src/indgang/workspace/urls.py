from django.urls import path

from indgang.workspace import views

urlpatterns = [
    path("", views.start, name="start"),
]
