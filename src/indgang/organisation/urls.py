from django.urls import URLPattern, URLResolver, path

from indgang.organisation import sso, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<id:token_id>/revoke/", views.revoke_token, name="revoke-api-token"),
    path("login/sso/", sso.StaffLoginView.as_view(), name="staff-oidc-login"),
    path("login/sso/callback/", sso.StaffCallbackView.as_view(), name="staff-oidc-callback"),
    path("organisation/staff/", views.staff_list, name="staff-list"),
    path("organisation/staff/<id:user_id>/", views.staff_detail, name="staff-detail"),
    path("organisation/staff/<id:user_id>/roles/", views.add_role, name="staff-add-role"),
    path(
        "organisation/staff/<id:user_id>/roles/<id:assignment_id>/remove/",
        views.remove_role_view,
        name="staff-remove-role",
    ),
    path("organisation/staff/<id:user_id>/active/", views.set_active, name="staff-set-active"),
]
