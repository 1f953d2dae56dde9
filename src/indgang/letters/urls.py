from django.urls import URLPattern, URLResolver, path

from indgang.letters import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("letters/templates/", views.template_list, name="letter-template-list"),
    path("letters/templates/<slug:kind>/", views.template_edit, name="letter-template-edit"),
    path(
        "letters/templates/<slug:kind>/preview/",
        views.template_preview,
        name="letter-template-preview",
    ),
    path(
        "letters/templates/<slug:kind>/versions/",
        views.template_versions,
        name="letter-template-versions",
    ),
]
