"""`lumbung worker`: run background tasks, and enqueue the periodic escalation."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections


class Command(BaseCommand):
    help = "Run the task worker (django-tasks database backend) with periodic escalation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=900, help="Seconds between escalation runs."
        )
        parser.add_argument("--batch", action="store_true", help="Run due work once, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        from lumbung.core.tasks import periodic_all

        stop = threading.Event()

        def schedule() -> None:
            while not stop.is_set():
                close_old_connections()
                for periodic in periodic_all():
                    periodic.enqueue()
                stop.wait(options["every"])

        if options["batch"]:
            for periodic in periodic_all():
                periodic.enqueue()
            call_command("db_worker", queue_name="*", batch=True, interval=0)
            return
        thread = threading.Thread(target=schedule, daemon=True, name="lumbung-scheduler")
        thread.start()
        try:
            call_command("db_worker", queue_name="*")
        finally:
            stop.set()
