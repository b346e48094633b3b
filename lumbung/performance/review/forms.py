"""Forms of the review pages: the queue's filters, a rejection, an adjustment, and the
queue's bulk approval (a selection, or one person's day). Shape only; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lumbung.core.models import Region

from ..models import Employee, Entry
from ..workflow import SUBMITTED


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        return obj.name  # a supervisor knows their people by name; no NIP on the page


class QueueFilterForm(forms.Form):
    person = PersonChoice(
        label=pgettext_lazy("performance", "Person"),
        queryset=Employee.objects.none(),
        required=False,
    )
    day = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, region: Region, reviewer: Employee | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Only the people whose entries wait for this reviewer.
        waiting = Entry.objects.filter(region=region, reviewer=reviewer, state=SUBMITTED)
        people = Employee.objects.filter(region=region, pk__in=waiting.values("employee_id"))
        self.fields["person"].queryset = people if reviewer else Employee.objects.none()  # type: ignore[attr-defined]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the author reads it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AdjustForm(forms.Form):
    quantity = forms.IntegerField(label=_("Approved quantity"), min_value=1, max_value=100_000)
    reason = forms.CharField(
        label=_("Reason (the author reads it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkForm(forms.Form):
    """The queue's POST: either `day` ("<employee id>:<YYYY-MM-DD>") or selected `entries`."""

    entries = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    day = forms.RegexField(regex=r"^\d{1,12}:\d{4}-\d{2}-\d{2}$", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the service refuses what is not the reviewer's.
        field = self.fields["entries"]
        field.valid_value = lambda value: str(value).isdigit() and len(str(value)) <= 12  # type: ignore[attr-defined]

    def clean_day(self) -> tuple[int, dt.date] | None:
        raw = self.cleaned_data.get("day")
        if not raw:
            return None
        person, text = raw.split(":")
        try:
            return int(person), dt.date.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(_("Enter a valid date.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("day") and not data.get("entries"):
            raise forms.ValidationError(_("Choose at least one entry."))
        return data
