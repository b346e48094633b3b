"""`lumbung demo`: load the demo regions, people and cases (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lumbung.core.demo import DEMO_PASSWORD, demo_accounts, demo_load


class Command(BaseCommand):
    help = "Load the demo: Kota Bandung, Kota Tangerang, Kabupaten Serang and Banten."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load the demo even though DEBUG is off (never on a real instance).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        allowed = settings.DEBUG or settings.LUMBUNG_DEMO_ALLOWED or options["allow_without_debug"]
        if not allowed:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off. They have a published "
                "password. Pass --allow-without-debug (or set LUMBUNG_DEMO=1) if you mean it."
            )
        regions = demo_load()
        for region in regions:
            self.stdout.write(f"  {region.code:6} {region.slug}")
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for email, label in demo_accounts():
            self.stdout.write(f"  {email:36} {label}")
        self.stdout.write(self.style.SUCCESS("Demo ready."))
