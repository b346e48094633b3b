from django.db import models

from lumbung.core.models import WorkflowCase


class SampleCase(WorkflowCase):
    WORKFLOW_KEY = "sample.case"

    title = models.CharField(max_length=100)
    nik = models.CharField(max_length=16, blank=True)
    unit = models.ForeignKey("core.Unit", null=True, blank=True, on_delete=models.PROTECT)
    urgent = models.BooleanField(default=False)

    def sla_variant(self, state: str) -> str:
        return "urgent" if self.urgent and state == "in_progress" else ""

    def __str__(self) -> str:
        return self.title
