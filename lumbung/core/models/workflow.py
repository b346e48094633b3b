"""Storage for the workflow engine: the state fields every case carries, and the
transition log. The workflows themselves are declared as data in each module's workflow.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .tenancy import RegionScoped


class WorkflowCase(RegionScoped):
    """Abstract base of anything that moves through a workflow (a complaint, a proposal)."""

    WORKFLOW_KEY: str = ""

    state = models.CharField(max_length=40, db_index=False)
    state_entered_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    # While the clock is stopped (a clock_stopped state): where the case returns on RESUME,
    # and the working days its deadline had left there (None: that state had no deadline).
    paused_state = models.CharField(max_length=40, blank=True, default="")
    paused_days_left = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    def sla_variant(self, state: str) -> str:
        """Which of `state`'s deadline variants applies to this case ("" for the plain one)."""
        return ""


class Transition(RegionScoped):
    """One step a case took: who, when, from which state to which, and why."""

    workflow = models.CharField(max_length=60)
    case_type = models.CharField(max_length=80)
    case_id = models.CharField(max_length=64)
    action = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["region", "case_type", "case_id"], name="transition_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_type}:{self.case_id} {self.from_state}->{self.to_state}"


class SlaOverride(RegionScoped):
    """A region's own deadline, in working days, for one state of one workflow, or for one
    variant of it (`state` is then "state:variant", e.g. "in_progress:c14")."""

    workflow = models.CharField(max_length=60)
    state = models.CharField(max_length=60)
    working_days = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "workflow", "state"], name="sla_override_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workflow}.{self.state}={self.working_days}"


class StateLabel(RegionScoped):
    """A region's own name for one step (state) of one workflow, in Indonesian and English.
    An empty name falls back to the workflow's default label in that language."""

    workflow = models.CharField(max_length=60)
    state = models.CharField(max_length=40)
    label_id = models.CharField(max_length=100, blank=True)
    label_en = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "workflow", "state"], name="state_label_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workflow}.{self.state}={self.label_id or self.label_en}"
