"""The daily activity log: the region's activity catalogue and each civil servant's entries.

Both move through core's workflow engine (workflow.py): an entry waits for its reviewer
under a deadline; an activity an ASN proposes waits for approval before it counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lumbung.core.models.fields import Bilingual, english
from lumbung.core.models.workflow import WorkflowCase


class Activity(Bilingual, WorkflowCase):
    """A kind of work with its output unit and standard minutes per unit of output."""

    WORKFLOW_KEY = "performance.activity"

    output_unit_id = models.CharField(_("output unit (Indonesian)"), max_length=60)
    output_unit_en = models.CharField(_("output unit (English)"), max_length=60)
    standard_minutes = models.PositiveSmallIntegerField(_("standard minutes per unit"))
    # Position names allowed to use it; empty: every position.
    positions = models.JSONField(default=list, blank=True)
    proposed_by = models.ForeignKey(
        "performance.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_id", "id"]
        indexes = [models.Index(fields=["region", "state"], name="perf_activity_state")]

    def __str__(self) -> str:
        return self.name

    @property
    def output_unit(self) -> str:
        return (self.output_unit_en if english() else self.output_unit_id) or self.output_unit_id


class Entry(WorkflowCase):
    """What one ASN did on one day, from when to when, and how much of it.

    Minutes are whole numbers: claimed = quantity x the activity's standard minutes at the
    time of entry (kept, so that a later catalogue change does not rewrite history);
    approved_minutes is what counts toward the allowance (0 until approved)."""

    WORKFLOW_KEY = "performance.entry"

    employee = models.ForeignKey(
        "performance.Employee", on_delete=models.PROTECT, related_name="entries"
    )
    # Who must review it now: the direct supervisor, then up the chain on escalation.
    reviewer = models.ForeignKey(
        "performance.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries_to_review",
    )
    work_date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="entries")
    quantity = models.PositiveIntegerField(_("quantity"))
    standard_minutes = models.PositiveSmallIntegerField()
    claimed_minutes = models.PositiveIntegerField()
    approved_quantity = models.PositiveIntegerField(null=True, blank=True)
    approved_minutes = models.PositiveIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(upload_to="performance/%Y/%m/", blank=True)
    overtime = models.BooleanField(_("assigned overtime"), default=False)
    # The device's idempotency key: an entry sent twice (offline, then reconnecting) is one.
    client_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["work_date", "start_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "employee", "client_key"], name="perf_entry_client_key"
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="perf_entry_time_order",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "employee", "work_date"], name="perf_entry_person_day"),
            models.Index(fields=["region", "work_date"], name="perf_entry_region_day"),
            models.Index(fields=["region", "reviewer", "state"], name="perf_entry_queue"),
            models.Index(fields=["region", "state", "due_at"], name="perf_entry_due"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.work_date} {self.start_time}-{self.end_time}"
