from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from lumbung.core.modules import ModuleConfig, PublicDataset, SettingField

if TYPE_CHECKING:
    from lumbung.core.models import Region


def _public_reports(region: Region) -> Iterable[dict[str, Any]]:
    from .selectors import public_dataset_rows

    return public_dataset_rows(region)


class ComplaintsConfig(ModuleConfig):
    name = "lumbung.complaints"
    label = "complaints"
    verbose_name = _("Complaints and aspirations")
    module_key = "complaints"
    title = _("Complaints (LAKSA)")
    description = _(
        "Citizens report problems and follow them to the end; every unit works to a deadline."
    )
    staff_url = "core:complaints:queue"
    staff_perm = "complaints.view_queue"
    url_prefix = "complaints"
    urls = "lumbung.complaints.urls"
    api_router = "lumbung.complaints.api.router"
    workflows = ("lumbung.complaints.workflow.REPORT_FLOW",)
    periodic_tasks = (
        "lumbung.complaints.tasks.auto_close_all",
        "lumbung.complaints.tasks.figures_refresh_all",
    )
    demo = "lumbung.complaints.demo.demo_load_region"
    settings_fields = (
        SettingField("ticket_prefix", _("Ticket prefix"), str, "LAKSA"),
        SettingField(
            "confirmation_days",
            _("Working days the reporter has to confirm a resolution"),
            int,
            10,
            _("After that the report closes by itself."),
        ),
    )
    public_datasets = (PublicDataset("complaints", _("Public complaints"), _public_reports),)
    order = 10

    def ready(self) -> None:
        super().ready()
        from . import permissions  # noqa: F401 - registers the rules
