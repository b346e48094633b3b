"""`lumbung audit verify [<slug>]`: walk the hash chains and report the first break."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lumbung.core.models import Region
from lumbung.core.services.audit import audit_chains, audit_verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chains."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Exit non-zero at the first broken event.")
        verify.add_argument("slug", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        region = None
        if options.get("slug"):
            region = Region.objects.filter(slug=options["slug"]).first()
            if region is None:
                raise CommandError(f"No region with slug {options['slug']!r}.")
        broken = False
        for chain in audit_chains(region):
            problem = audit_verify_chain(chain)
            if problem is None:
                self.stdout.write(f"{chain}: ok")
            else:
                broken = True
                self.stderr.write(
                    f"{chain}: BROKEN at event #{problem.seq} ({problem.kind}): {problem.detail}"
                )
        if broken:
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("Audit chains intact."))
