"""Forms of the public and the applicants' pages. They check shape only (the service
decides every rule and reports per field); the documents' fields follow the plan."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lumbung.core.kelurahan import kelurahan_groups
from lumbung.core.models import Region

from .models import DocumentFormat, Kbli, Requirement
from .models.common import MONEY_MAX

DOC_PREFIX = "doc_"
ACCEPT: dict[str, str] = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.IMAGE: "image/jpeg,image/png,image/webp",
}


def kbli_choices(region: Region) -> list[tuple[str, str]]:
    return [
        (k.code, f"{k.code} {k.title}")
        for k in Kbli.objects.filter(region=region, is_active=True).order_by("code")
    ]


def capital_field(required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Capital excluding land and buildings (Rupiah)"),
        min_value=Decimal(0),
        max_value=MONEY_MAX,
        max_digits=17,
        decimal_places=2,
        required=required,
        help_text=_("The business scale follows from it (PP 7/2021)."),
    )


class CatalogueSearchForm(forms.Form):
    """The catalogue's activity search: a code or words, and a capital to show the lane."""

    q = forms.CharField(label=_("KBLI code or words"), max_length=100, required=False)
    capital = capital_field(required=False)


class NeedForm(forms.Form):
    """ "What do I need?": the activities and the capital; the plan comes from the selector."""

    kbli = forms.MultipleChoiceField(label=_("Business activities (KBLI)"), choices=())
    capital = capital_field()

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kbli"].choices = kbli_choices(region)  # type: ignore[attr-defined]


class ApplyForm(NeedForm):
    """The application itself; one file field per requirement of the plan."""

    business_name = forms.CharField(label=_("Business name"), max_length=200)
    nib = forms.CharField(
        label=_("NIB (business number)"),
        max_length=20,
        required=False,
        help_text=_("13 digits, where the business already holds one."),
    )
    npwp = forms.CharField(label=_("NPWP"), max_length=25)
    owner_name = forms.CharField(label=_("Owner's name"), max_length=150)
    owner_nik = forms.CharField(
        label=_("Owner's NIK"),
        max_length=20,
        help_text=_("Seen by the licensing staff only; never published."),
    )
    business_address = forms.CharField(label=_("Business address"), max_length=300)
    kelurahan_code = forms.ChoiceField(label=_("Kelurahan/desa"), choices=())
    area_m2 = forms.DecimalField(
        label=_("Area (m²)"), min_value=Decimal(0), max_digits=12, decimal_places=2, required=False
    )
    unit_count = forms.IntegerField(label=_("Units"), min_value=0, required=False)

    def __init__(
        self, *args: Any, region: Region, requirements: Sequence[Requirement] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, region=region, **kwargs)
        groups: list[Any] = [("", _("Choose…"))]
        groups += [(kecamatan, rows) for kecamatan, rows in kelurahan_groups(region)]
        self.fields["kelurahan_code"].choices = groups  # type: ignore[attr-defined]
        for requirement in requirements:
            self.fields[DOC_PREFIX + requirement.code] = forms.FileField(
                label=requirement.name,
                required=requirement.mandatory,
                help_text=requirement.get_format_display(),
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT[requirement.format]}),
            )

    def documents(self) -> dict[str, Any]:
        return {
            name.removeprefix(DOC_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(DOC_PREFIX) and value
        }


class ResubmitForm(forms.Form):
    """The corrected files (only those asked for) and a note to the officer."""

    note = forms.CharField(label=_("Note to the officer"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, requirements: Sequence[Requirement] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for requirement in requirements:
            self.fields[DOC_PREFIX + requirement.code] = forms.FileField(
                label=requirement.name,
                required=False,
                help_text=requirement.get_format_display(),
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT[requirement.format]}),
            )

    def documents(self) -> dict[str, Any]:
        return {
            name.removeprefix(DOC_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(DOC_PREFIX) and value
        }


class PaymentForm(forms.Form):
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=80,
        help_text=_("The reference on the bank's or the payment point's receipt."),
    )


def field_name(service_field: str) -> str:
    """A service's field name on these forms ("documents.denah" -> "doc_denah")."""
    if service_field.startswith("documents."):
        return DOC_PREFIX + service_field.removeprefix("documents.")
    return service_field
