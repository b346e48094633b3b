"""Forms of the organisations' own pages: registering an organisation, submitting a
proposal with its cost breakdown (RAB), and the proposal's later steps. They check shape
only; the services decide (and their errors land on the field they name)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from lumbung.core.kelurahan import kelurahan_groups
from lumbung.core.models import Region

from .models import Document, HibahProgramme, Organisation, OrganisationKind
from .services.documents import APPLICANT_KINDS
from .services.organisations import OrganisationInput, region_today
from .services.proposals import BudgetLineInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The documents an organisation brings when it registers (each optional here: the
# administrative check's computed item says which are still missing).
ORGANISATION_UPLOADS = (
    Document.Kind.DEED,
    Document.Kind.LEGAL,
    Document.Kind.NPWP,
    Document.Kind.DOMICILE,
    Document.Kind.BANK,
)
PROPOSAL_UPLOADS = (Document.Kind.PROPOSAL, Document.Kind.RAB)
DOCUMENT_HELP = _("PDF (at most 10 MB) or a photo of the paper (at most 5 MB).")
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_rupiah(text: str) -> Decimal | None:
    """An amount as Indonesians write it ("Rp 50.000.000", "1.250.000,50") or plainly
    ("50000000.5"); None when it is no number. Never a float on the way."""
    cleaned = re.sub(r"(?i)^rp\.?", "", text.strip()).replace(" ", "").replace("\xa0", "")
    if "," in cleaned:  # the comma is the decimal sign, dots group thousands
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class RupiahField(forms.Field):
    """Rupiah typed in either notation, cleaned to an exact Decimal. Whether the amount is
    positive, sane and within its limits is the service's to say."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": 30})

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            return None
        amount = parse_rupiah(text[:40])
        if amount is None:
            raise forms.ValidationError(_("Enter an amount in Rupiah, for example 1.500.000."))
        return amount


class DocumentField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", DOCUMENT_HELP)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = "application/pdf,image/*"


def kelurahan_field(region: Region) -> forms.ChoiceField | None:
    groups = kelurahan_groups(region)
    if not groups:
        return None  # a province has no kelurahan of its own
    return forms.ChoiceField(
        label=_("Kelurahan/desa"), required=False, choices=[("", _("Choose")), *groups]
    )


# --- Organisations ------------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    legal_number = forms.CharField(
        label=_("Legal registration number"),
        max_length=80,
        help_text=_("The number of the decree of the Ministry of Law (SK AHU) or similar."),
    )
    legal_date = forms.DateField(label=_("Legal registration date"), widget=DATE)
    npwp = forms.CharField(label=_("NPWP"), max_length=30)
    address = forms.CharField(label=_("Address"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=80)
    bank_account_number = forms.CharField(label=_("Bank account number"), max_length=40)
    bank_account_name = forms.CharField(
        label=_("Account holder"),
        max_length=200,
        help_text=_("The account must be in the organisation's name."),
    )

    def __init__(self, *args: Any, region: Region, with_documents: bool = True, **kw: Any):
        super().__init__(*args, **kw)
        kelurahan = kelurahan_field(region)
        if kelurahan is not None:
            self.fields["kelurahan_code"] = kelurahan
        self.fields["phone"].widget.input_type = "tel"
        if with_documents:
            for kind in ORGANISATION_UPLOADS:
                self.fields[f"doc_{kind}"] = DocumentField(label=Document.Kind(kind).label)

    def service_input(self, officers: list[dict[str, str]]) -> OrganisationInput:
        data = self.cleaned_data
        return OrganisationInput(
            officers=officers,
            kelurahan_code=data.get("kelurahan_code") or "",
            **{k: data[k] for k in _ORGANISATION_FIELDS},
        )

    def documents(self) -> Iterator[tuple[str, str, UploadedFile]]:
        """(field name, document kind, file) of each file given."""
        for kind in ORGANISATION_UPLOADS:
            upload = self.cleaned_data.get(f"doc_{kind}")
            if upload:
                yield f"doc_{kind}", str(kind), upload


_ORGANISATION_FIELDS = (
    "name",
    "kind",
    "legal_number",
    "legal_date",
    "npwp",
    "address",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
    "phone",
    "email",
)


class OfficerForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Position"),
        choices=[
            ("ketua", _("Chair (ketua)")),
            ("sekretaris", _("Secretary (sekretaris)")),
            ("bendahara", _("Treasurer (bendahara)")),
            ("wakil ketua", _("Vice chair (wakil ketua)")),
            ("anggota", _("Member (anggota)")),
        ],
    )
    name = forms.CharField(label=_("Name"), max_length=150)


class BaseRowsFormSet(forms.BaseFormSet):
    """Rows added in the browser; a blank extra row is skipped, not an error."""

    def rows(self) -> list[dict[str, Any]]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data]


OfficerFormSet = forms.formset_factory(
    OfficerForm, formset=BaseRowsFormSet, extra=0, max_num=20, validate_max=True
)
OFFICER_START = [{"position": p} for p in ("ketua", "sekretaris", "bendahara")]


def officers_formset(data: Any = None, initial: list[dict[str, str]] | None = None) -> Any:
    formset = OfficerFormSet(data, initial=initial or OFFICER_START, prefix="officers")
    for form in formset.forms[: len(initial or OFFICER_START)]:
        form.empty_permitted = False  # the chair, secretary and treasurer are always asked
    return formset


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"))
    file = DocumentField(label=_("File"), required=True)

    def __init__(self, *args: Any, kinds: tuple[str, ...] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        allowed = kinds or tuple(APPLICANT_KINDS)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k, Document.Kind(k).label) for k in Document.Kind.values if k in allowed
        ]


# --- Proposals ----------------------------------------------------------------------------------


class ProposalForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=HibahProgramme.objects.none(), empty_label=_("Choose")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the grant is for and who benefits."),
    )
    location = forms.CharField(
        label=_("Location of the activity"),
        max_length=300,
        help_text=_("A street, a building or a landmark."),
    )
    # The map pin, set by tapping the map (the complaints filing form's script); the
    # service checks it is inside Indonesia, both coordinates or neither.
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, region: Region, organisations: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        fields: dict[str, Any] = self.fields
        fields["organisation"].queryset = organisations
        fields["programme"].queryset = open_programmes(region)
        fields["programme"].label_from_instance = lambda p: f"{p.name} ({p.year})"
        kelurahan = kelurahan_field(region)
        if kelurahan is not None:
            fields["kelurahan_code"] = kelurahan
        for kind in PROPOSAL_UPLOADS:
            fields[f"doc_{kind}"] = DocumentField(label=Document.Kind(kind).label)

    def documents(self) -> Iterator[tuple[str, str, UploadedFile]]:
        for kind in PROPOSAL_UPLOADS:
            upload = self.cleaned_data.get(f"doc_{kind}")
            if upload:
                yield f"doc_{kind}", str(kind), upload


def open_programmes(region: Region) -> Any:
    """Programmes accepting proposals today (the service checks again on submit)."""
    today = region_today(region)
    return (
        HibahProgramme.objects.filter(region=region, is_active=True)
        .exclude(opens_on__gt=today)
        .exclude(closes_on__lt=today)
        .order_by("-year", "code")
    )


class BudgetLineForm(forms.Form):
    description = forms.CharField(label=_("Item"), max_length=200)
    quantity = RupiahField(label=_("Quantity"))
    unit = forms.CharField(label=_("Unit"), max_length=30)
    unit_price = RupiahField(label=_("Unit price (Rp)"))

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["quantity"].widget.attrs["data-rab"] = "quantity"
        self.fields["unit_price"].widget.attrs["data-rab"] = "price"


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseRowsFormSet, extra=1, max_num=200, validate_max=True
)


def budget_formset(data: Any = None, initial: list[dict[str, Any]] | None = None) -> Any:
    formset = BudgetLineFormSet(data, initial=initial, prefix="lines")
    if formset.forms:
        formset.forms[0].empty_permitted = False
    return formset


def budget_lines(formset: Any) -> list[BudgetLineInput]:
    return [
        BudgetLineInput(r["description"], r["quantity"], r["unit"], r["unit_price"])
        for r in formset.rows()
    ]


class ResubmitForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What you corrected"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    replace_lines = forms.BooleanField(
        label=_("Replace the cost breakdown (RAB) with the lines below"), required=False
    )


class WithdrawForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Reason (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(label=_("Yes, withdraw this proposal"))


class LpjForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    document = DocumentField(label=_("Accountability report (LPJ)"), required=False)
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
