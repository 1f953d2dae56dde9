from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "indgang.signin"
    verbose_name = _("Sign-in")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from indgang.signin.services import start_session_clock

        # The one signal in the project: every way into a session (the login page, the admin,
        # single sign-on, a test's force_login) passes through django.contrib.auth.login, so
        # the session's clock starts there and no login path can leave it unset.
        user_logged_in.connect(start_session_clock, dispatch_uid="indgang-session-clock")
