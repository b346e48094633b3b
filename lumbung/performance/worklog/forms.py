"""The activity log's forms: an entry (the plain page that works without script), an
activity (added by the administrator or proposed by a civil servant), and a reason."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Activity
from .activities import ActivityInput
from .services import EntryInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EntryForm(forms.Form):
    # The device's key: a fresh one per form, so a double-clicked submit makes one entry.
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    work_date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)
    activity = forms.TypedChoiceField(label=pgettext_lazy("performance", "Activity"), coerce=int)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000, initial=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("A PDF or a photo, up to 5 MB."),
    )
    overtime = forms.BooleanField(label=_("Assigned overtime"), required=False)

    def __init__(self, *args: Any, activities: list[Activity], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—")] + [
            (a.pk, f"{a.name} ({a.standard_minutes} {_('min')}/{a.output_unit})")
            for a in activities
        ]

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            client_key=data["client_key"],
            work_date=data["work_date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            activity_id=data["activity"],
            quantity=data["quantity"],
            note=data["note"],
            overtime=data["overtime"],
        )


class ActivityForm(forms.Form):
    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    output_unit_id = forms.CharField(label=_("Output unit (Indonesian)"), max_length=60)
    output_unit_en = forms.CharField(label=_("Output unit (English)"), max_length=60)
    standard_minutes = forms.IntegerField(
        label=_("Standard minutes per unit"), min_value=1, max_value=1440
    )
    positions = forms.CharField(
        label=_("Positions that may use it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One position per line; leave empty for every position."),
    )

    def activity_input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            name_id=data["name_id"],
            name_en=data["name_en"],
            output_unit_id=data["output_unit_id"],
            output_unit_en=data["output_unit_en"],
            standard_minutes=data["standard_minutes"],
            positions=tuple(p for p in data["positions"].splitlines() if p.strip()),
        )

    @staticmethod
    def initial_of(activity: Activity) -> dict[str, Any]:
        names = ("name_id", "name_en", "output_unit_id", "output_unit_en", "standard_minutes")
        return {
            **{n: getattr(activity, n) for n in names},
            "positions": "\n".join(activity.positions),
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
