from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from lumbung.core.modules import ModuleConfig, PublicDataset, SettingField

if TYPE_CHECKING:
    from lumbung.core.models import Region


def _public_figures(region: Region) -> Iterable[dict[str, Any]]:
    from .selectors_stats import permits_stats

    return permits_stats(region)


class PermitsConfig(ModuleConfig):
    name = "lumbung.permits"
    label = "permits"
    verbose_name = _("Online licensing")
    module_key = "permits"
    title = _("Online licensing (Hayu)")
    description = _(
        "Risk-based business permits: small low-risk businesses register at once, the rest "
        "go stage by stage to a deadline; every permit carries a verifiable QR code."
    )
    staff_url = "core:permits:queue"
    staff_perm = "permits.view_queue"
    url_prefix = "permits"
    urls = "lumbung.permits.urls"
    demo = "lumbung.permits.demo.demo_load_region"
    api_router = "lumbung.permits.api.router"
    workflows = ("lumbung.permits.workflow.APPLICATION_FLOW",)
    periodic_tasks = (
        "lumbung.permits.tasks.approve_by_default_all",
        "lumbung.permits.tasks.renewal_reminders_all",
    )
    settings_fields = (
        SettingField(
            "report_only_capital_threshold",
            _("Report-only capital threshold (Rupiah)"),
            int,
            500_000_000,
            _(
                "A low-risk business with capital, excluding land and buildings, under this "
                "amount only reports: it is registered at once."
            ),
        ),
        SettingField("permit_prefix", _("Permit number prefix"), str, "IZIN"),
        SettingField("registration_prefix", _("Registration receipt number prefix"), str, "REG"),
        SettingField("application_prefix", _("Application number prefix"), str, "PRM"),
        SettingField(
            "renewal_window_days",
            _("Days before expiry from which a permit may be renewed"),
            int,
            60,
        ),
    )
    public_datasets = (
        PublicDataset("permits_figures", _("Licensing figures per permit type"), _public_figures),
    )
    order = 30

    def ready(self) -> None:
        super().ready()
        from . import permissions  # noqa: F401 - registers the rules
