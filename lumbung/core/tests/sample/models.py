from django.db import models

from lumbung.core.models import WorkflowCase


class SampleCase(WorkflowCase):
    WORKFLOW_KEY = "sample.case"

    title = models.CharField(max_length=100)
    nik = models.CharField(max_length=16, blank=True)
    unit = models.ForeignKey("core.Unit", null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.title
