from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import (
    Command as RunserverCommand,
)
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from indgang.common.tasks import start_scheduler


class Command(RunserverCommand):
    # Set by runserver's handle() from the address given.
    addr: str
    _raw_ipv6: bool

    help = (
        "Serve Indgang with Django's development server and run the periodic tasks in the same "
        "process (the demo). Production runs granian and `celery -A indgang beat` instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        # The demo runs with DEBUG off (Danish error pages, as in production), so the static
        # files are served here (without WhiteNoise, as in development) whatever DEBUG says; it
        # serves nothing but Indgang's own files. No reloader: a demo's code does not change,
        # and the reloader's process would print its own English lines.
        parser.set_defaults(insecure_serving=True, use_reloader=False, skip_checks=True)

    def on_bind(self, server_port: int) -> None:
        # Called once the server listens, in the serving process only: the autoreloader's
        # watching parent never gets here, so one scheduler runs per server. Django's own
        # announcement (in English, with its warning against production use, which the demo
        # is not) is replaced by one Danish line.
        start_scheduler(tick_seconds=settings.SCHEDULER_TICK_SECONDS)
        self.stdout.write(
            _("Indgang serves on %(url)s (stop with Ctrl-C).")
            % {"url": f"{self.protocol}://{self._host()}:{server_port}/"}
        )
        self.stdout.write(
            _("Periodic tasks run in this process; due ones are looked for every %(seconds)s s.")
            % {"seconds": f"{settings.SCHEDULER_TICK_SECONDS:g}"}
        )

    def _host(self) -> str:
        return f"[{self.addr}]" if self._raw_ipv6 else "0.0.0.0" if self.addr == "0" else self.addr  # noqa: S104
