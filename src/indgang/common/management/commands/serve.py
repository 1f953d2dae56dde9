from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import (
    Command as RunserverCommand,
)
from django.utils.translation import gettext as _

from indgang.common.tasks import start_scheduler


class Command(RunserverCommand):
    help = (
        "Serve Indgang with Django's development server and run the periodic tasks in the same "
        "process (the demo). Production runs granian and `celery -A indgang beat` instead."
    )

    def on_bind(self, server_port: int) -> None:
        # Called once the server listens, in the serving process only: the autoreloader's
        # watching parent never gets here, so one scheduler runs per server.
        super().on_bind(server_port)
        start_scheduler(tick_seconds=settings.SCHEDULER_TICK_SECONDS)
        self.stdout.write(
            _("Periodic tasks run in this process; due ones are looked for every %(seconds)s s.")
            % {"seconds": f"{settings.SCHEDULER_TICK_SECONDS:g}"}
        )
