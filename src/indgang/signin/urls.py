from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

from indgang.signin import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/second-factor/", views.second_factor, name="second-factor"),
    path("login/second-factor/enrol/", views.enrol, name="second-factor-enrol"),
    # The admin signs in through the same page: one lockout, one second factor.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin-login",
    ),
]
