from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lumbung.core.modules import ModuleConfig, SettingField


class GrantsConfig(ModuleConfig):
    name = "lumbung.grants"
    label = "grants"
    verbose_name = _("Grants and social aid")
    module_key = "grants"
    title = _("Grants and social aid (Sabilulungan)")
    description = _(
        "Hibah proposals from submission to accountability report, and bansos lists from "
        "registry to handover, in the open."
    )
    staff_url = "core:grants:queue"
    staff_perm = "grants.view_queue"
    url_prefix = "grants"
    urls = "lumbung.grants.urls"
    api_router = "lumbung.grants.api.router"
    workflows = ("lumbung.grants.workflow.HIBAH_FLOW", "lumbung.grants.workflow.CYCLE_FLOW")
    demo = "lumbung.grants.demo.demo_load_region"
    periodic_tasks = (
        "lumbung.grants.tasks.lpj_reminders_all",
        "lumbung.grants.tasks_flags.flags_refresh_all",
    )
    settings_fields = (
        SettingField("proposal_prefix", _("Proposal number prefix"), str, "HIBAH"),
        SettingField(
            "lpj_due",
            _("LPJ due date in the following year (MM-DD)"),
            str,
            "01-10",
            _("The accountability report of a year's grant is due on this day of the next."),
        ),
        SettingField(
            "organisation_min_age_days",
            _("An organisation younger than this many days is flagged"),
            int,
            1095,
            _("Counted from its legal registration date to the proposal."),
        ),
        SettingField(
            "publish_bansos_names",
            _("Publish bansos recipients' names (with the last 4 NIK digits)"),
            bool,
            False,
        ),
    )
    order = 20

    def ready(self) -> None:
        super().ready()
        from . import permissions  # noqa: F401 - registers the rules
