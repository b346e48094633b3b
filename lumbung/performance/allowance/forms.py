"""Forms of the allowance pages. They check shape only; the rules are in the services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DayKind, FormulaKind, ImportKind
from .formulas import FormulaInput

# One band per line: "1-30: 0.5" (1 to 30 minutes, 0.5%), "91-: 1.5" (91 minutes or more).
_BAND = re.compile(r"^(\d+)\s*-\s*(\d*)\s*[:=]\s*(\d+(?:[.,]\d+)?)\s*%?$")


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker)."""

    widget = forms.TextInput(attrs={"type": "month"})

    def clean(self, value: Any) -> tuple[int, int]:
        text = super().clean(value)
        match = re.match(r"^(\d{4})-(\d{2})$", text or "")
        if not match or not (
            2000 <= int(match.group(1)) <= 2100 and 1 <= int(match.group(2)) <= 12
        ):
            raise forms.ValidationError(_("Choose a month (YYYY-MM) between 2000 and 2100."))
        return int(match.group(1)), int(match.group(2))


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("File"),
        choices=[
            (ImportKind.ATTENDANCE, _("Attendance machine export")),
            (ImportKind.LEAVE, _("Leave and official duty")),
        ],
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Machine export: NIP, date, check-in, check-out. Leave: NIP, from, to, kind "
            "(leave, duty, sick), note. Dates YYYY-MM-DD or DD/MM/YYYY, times HH:MM[:SS]."
        ),
    )


def bands_from_text(text: str) -> list[list[Any]]:
    """Band lines as the formula's JSON form; a malformed line raises a ValidationError."""
    bands: list[list[Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _BAND.match(line)
        if match is None:
            raise forms.ValidationError(
                _("Line %(n)d: write a band as 1-30: 0.5 (or 91-: 1.5 for no upper end).")
                % {"n": number}
            )
        low, high, percent = match.groups()
        bands.append([int(low), int(high) if high else None, percent.replace(",", ".")])
    return bands


def bands_to_text(bands: list[list[Any]]) -> str:
    return "\n".join(f"{b[0]}-{'' if b[1] is None else b[1]}: {b[2]}" for b in bands)


class BandsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def clean(self, value: Any) -> list[list[Any]]:
        return bands_from_text(super().clean(value) or "")


class FormulaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=FormulaKind.choices)
    effective_from = forms.DateField(
        label=_("Effective from"),
        help_text=_("The first day of a month after the last closed month."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    target_minutes = forms.IntegerField(
        label=_("Target minutes per month"), min_value=1, max_value=100_000, initial=6000
    )
    performance_weight = forms.DecimalField(
        label=_("Performance weight (%)"), min_value=0, max_value=100, decimal_places=2,
        initial=100,
    )  # fmt: skip
    attendance_weight = forms.DecimalField(
        label=_("Attendance weight (%)"), min_value=0, max_value=100, decimal_places=2, initial=0
    )
    late_bands = BandsField(
        label=_("Lateness bands"),
        required=False,
        help_text=_("One per line, minutes and percent per day: 1-30: 0.5, then 91-: 1.5."),
    )
    early_bands = BandsField(
        label=_("Leaving-early bands"), required=False, help_text=_("The same form.")
    )
    absence_percent = forms.DecimalField(
        label=_("Deduction per day absent without leave (%)"), min_value=0, max_value=100,
        decimal_places=2, initial=0,
    )  # fmt: skip

    def data_input(self) -> FormulaInput:
        values = dict(self.cleaned_data)
        return FormulaInput(**values)


class EntryCorrectionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Correction"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    quantity = forms.IntegerField(
        label=_("Approved quantity"), min_value=1, max_value=100_000, required=False
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DayCorrectionForm(forms.Form):
    work_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Day"), choices=DayKind.choices)
    check_in = forms.TimeField(
        label=_("Check-in"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    check_out = forms.TimeField(
        label=_("Check-out"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
