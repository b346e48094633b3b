"""`lumbung region add|modules|list|show`: make regions tenants and switch their modules."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lumbung.core.errors import DomainError
from lumbung.core.modules import registry
from lumbung.core.selectors import region_get_active, region_list_active, region_modules_map
from lumbung.core.services.regions import region_add, region_modules_set
from lumbung.core.tenancy import region_scope


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class Command(BaseCommand):
    help = "Manage regions (tenants): add one by Kemendagri code, switch its modules, list them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Activate a region by its Kemendagri code (e.g. 32.73).")
        add.add_argument("code")
        add.add_argument(
            "--modules", default="", help=f"Comma-separated: {', '.join(registry.module_keys())}"
        )
        mods = sub.add_parser("modules", help="Enable or disable modules of an active region.")
        mods.add_argument("slug")
        mods.add_argument("--enable", action="append", default=[])
        mods.add_argument("--disable", action="append", default=[])
        sub.add_parser("list", help="List active regions and their modules.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from error

    def _add(self, options: dict[str, Any]) -> None:
        region = region_add(code=options["code"], actor=None, modules=_split(options["modules"]))
        self.stdout.write(self.style.SUCCESS(f"Added {region.name} as /{region.slug}/"))

    def _modules(self, options: dict[str, Any]) -> None:
        region = region_get_active(options["slug"])
        if region is None:
            raise CommandError(f"No active region with slug {options['slug']!r}.")
        enable = [k for v in options["enable"] for k in _split(v)]
        disable = [k for v in options["disable"] for k in _split(v)]
        with region_scope(region):
            on = region_modules_set(region=region, actor=None, enable=enable, disable=disable)
        self.stdout.write(f"{region.slug}: {', '.join(on) or '(no modules)'}")

    def _list(self, options: dict[str, Any]) -> None:
        regions = list(region_list_active())
        modules = region_modules_map(regions)
        for region in regions:
            self.stdout.write(f"{region.code:6} {region.slug:32} {', '.join(modules[region.pk])}")
