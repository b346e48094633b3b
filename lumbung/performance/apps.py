from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lumbung.core.modules import ModuleConfig, SettingField


class PerformanceConfig(ModuleConfig):
    name = "lumbung.performance"
    label = "performance"
    verbose_name = _("Civil-servant performance")
    module_key = "performance"
    title = _("Civil-servant performance (E-RK)")
    description = _(
        "Civil servants log their work in minutes of standard effort; their supervisors "
        "approve; the month's approved minutes and attendance set the performance allowance."
    )
    staff_url = "core:performance:home"
    staff_perm = "performance.use"
    url_prefix = "performance"
    urls = "lumbung.performance.urls"
    api_router = "lumbung.performance.api.router"
    workflows = (
        "lumbung.performance.workflow.ENTRY_FLOW",
        "lumbung.performance.workflow.ACTIVITY_FLOW",
        "lumbung.performance.workflow.PLAN_FLOW",
    )
    demo = "lumbung.performance.demo.demo_load_region"
    periodic_tasks = (
        "lumbung.performance.review.tasks.escalate_reviews_all",
        "lumbung.performance.allowance.tasks.close_months_all",
    )
    settings_fields = (
        SettingField(
            "backdate_working_days",
            _("Working days an entry may be back-dated"),
            int,
            3,
        ),
        SettingField(
            "daily_cap_minutes",
            _("Most minutes one person may claim in a day"),
            int,
            420,
            _("Assigned overtime is counted against the same cap."),
        ),
        SettingField("work_start", _("Office hours start (HH:MM)"), str, "07:30"),
        SettingField("work_end", _("Office hours end, Monday to Thursday (HH:MM)"), str, "16:00"),
        SettingField("friday_end", _("Office hours end on Friday (HH:MM)"), str, "16:30"),
        SettingField(
            "cutoff_day",
            _("Day of the next month on which a month is closed"),
            int,
            5,
            _("After it the month is locked; a late change needs an authorised correction."),
        ),
    )
    order = 40

    def ready(self) -> None:
        super().ready()
        from django.apps import apps

        from . import permissions  # noqa: F401 - registers the rules

        # The grants module flags aid paid to a civil servant: this registry is its list.
        if apps.is_installed("lumbung.grants"):
            from lumbung.grants.flags import civil_servant_provider_register

            from .registry.provider import civil_servant_niks

            civil_servant_provider_register("performance", civil_servant_niks)
