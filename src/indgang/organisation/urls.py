from django.urls import URLPattern, URLResolver, path

from indgang.organisation import sso, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke-api-token"),
    path("login/sso/", sso.StaffLoginView.as_view(), name="staff-oidc-login"),
    path("login/sso/callback/", sso.StaffCallbackView.as_view(), name="staff-oidc-callback"),
]
