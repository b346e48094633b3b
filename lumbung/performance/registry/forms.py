"""The registry's forms. A supervisor is entered by NIP (a region has thousands of people:
no drop-down); the view turns it into the person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import Region, Unit

from ..models import EmploymentType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STATUSES = (("active", _("Active")), ("ended", _("Ended")), ("all", _("All")))


def _units(field: forms.Field, region: Region) -> None:
    field.queryset = Unit.objects.filter(region=region).order_by("code")  # type: ignore[attr-defined]


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or NIP"), max_length=100, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], region)


class DetailsForm(forms.Form):
    nip = forms.CharField(label=_("NIP"), max_length=18, help_text=_("18 digits"))
    name = forms.CharField(label=_("Name"), max_length=200)
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=EmploymentType.choices)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("The account with this address is linked: it lets the person log their work."),
    )
    nik = forms.CharField(label=_("NIK"), max_length=16, required=False)


class PostingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    position = forms.CharField(label=_("Position"), max_length=200)
    job_grade = forms.IntegerField(label=_("Job grade (kelas jabatan)"), min_value=1, max_value=17)
    supervisor = forms.CharField(
        label=_("Direct supervisor's NIP"), max_length=18, required=False,
        help_text=_("Empty for the head of the region's hierarchy."),
    )  # fmt: skip

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], region)


class EmployeeForm(DetailsForm, PostingForm):
    active_from = forms.DateField(label=_("Active from"), widget=DATE)

    field_order = ["nip", "name", "employment_type", "unit", "position", "job_grade",
                   "supervisor", "active_from", "email", "nik"]  # fmt: skip


class EditForm(DetailsForm):
    remove_nik = forms.BooleanField(label=_("Remove the NIK"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nik"].help_text = _("Leave empty to keep the NIK on record.")


class MoveForm(PostingForm):
    effective_date = forms.DateField(
        label=_("Effective date"), widget=DATE,
        help_text=_("The first day in the new posting: today or earlier."),
    )  # fmt: skip


class EndForm(forms.Form):
    active_to = forms.DateField(label=_("Last day of employment"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class NikForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"), min_length=3, max_length=200,
        help_text=_("Why you need the full NIK: the read is recorded in the audit log."),
    )  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class TppBaseForm(forms.Form):
    job_grade = forms.IntegerField(label=_("Job grade (kelas jabatan)"), min_value=1, max_value=17)
    amount = forms.DecimalField(
        label=_("Amount (Rupiah a month)"), max_digits=15, decimal_places=2, min_value=1
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
