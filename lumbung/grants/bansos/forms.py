"""Forms of the bansos pages. They check shape only; the services decide, and their field
errors land on the field they name (apply_domain_error)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lumbung.core.kelurahan import kelurahan_groups
from lumbung.core.models import Region

from ..forms import RupiahField
from ..models import BenefitKind, Handover, ImportJob, PersonSource, Sex
from ..services.registry import PersonInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DECILES = [(str(n), str(n)) for n in range(1, 11)]


def _kelurahan_choices(region: Region, blank: Any) -> list[Any]:
    return [("", blank), *kelurahan_groups(region)]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or the whole NIK"), max_length=150, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), ("active", _("Active")), ("retired", _("Retired"))],
        required=False,
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan/desa"), required=False)
    decile_max = forms.TypedChoiceField(
        label=_("Welfare decile at most"),
        choices=[("", _("Any")), *DECILES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].choices = _kelurahan_choices(region, _("Any"))  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is shown on the form and left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "kelurahan": data.get("kelurahan") or "",
            "decile_max": data.get("decile_max"),
        }


class PersonForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    kk = forms.CharField(label=_("Family card number (KK)"), max_length=40, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty to take it from the NIK."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", _("From the NIK")), *Sex.choices],
        required=False,
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    kelurahan_code = forms.ChoiceField(label=_("Kelurahan/desa"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    welfare_decile = forms.ChoiceField(
        label=_("Welfare decile"),
        choices=[("", _("Unknown")), *DECILES],
        required=False,
        help_text=_("1 is the poorest tenth, as the national register ranks households."),
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=PersonSource.choices, initial=PersonSource.REGION
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kelurahan_code"].choices = _kelurahan_choices(region, _("Choose"))  # type: ignore[attr-defined]

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            nik=data["nik"],
            name=data["name"],
            kk=data.get("kk") or "",
            birth_date=data.get("birth_date"),
            sex=data.get("sex") or "",
            address=data.get("address") or "",
            kelurahan_code=data.get("kelurahan_code") or "",
            phone=data.get("phone") or "",
            welfare_decile=data.get("welfare_decile") or None,
            source=data["source"],
        )


class PersonalReadForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you need the full data?"),
        max_length=200,
        required=False,
        help_text=_("Recorded in the audit log with your name."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Recipient list (CSV or XLSX)"),
        help_text=_(
            "Columns: nik, kk, name, birth_date, sex, address, kelurahan_code, phone, "
            "welfare_decile (Indonesian headers such as nama or tanggal_lahir are fine). "
            "Keep NIK and KK as text in a spreadsheet."
        ),
    )
    source = forms.ChoiceField(
        label=_("Source of the list"), choices=PersonSource.choices, initial=PersonSource.IMPORT
    )
    mode = forms.ChoiceField(
        label=_("When some rows have errors"),
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"


class ProgrammeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    year = forms.IntegerField(label=_("Budget year"))
    name_id = forms.CharField(label=_("Name (Bahasa Indonesia)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    benefit_kind = forms.ChoiceField(label=_("Benefit"), choices=BenefitKind.choices)
    benefit_amount = RupiahField(
        label=_("Amount per recipient per cycle"),
        required=False,
        help_text=_("For a cash benefit, in Rupiah."),
    )
    benefit_item = forms.CharField(
        label=_("Item"), max_length=200, required=False, help_text=_("For a benefit in kind.")
    )
    cycles_per_year = forms.IntegerField(label=_("Cycles a year"), initial=1)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["benefit_amount"] = data.get("benefit_amount") or 0
        return data


FIELD_CHOICES = [
    ("welfare_decile", _("Welfare decile")),
    ("age", _("Age (years, at the start of the cycle)")),
    ("sex", _("Sex (L or P)")),
    ("kelurahan_code", _("Kelurahan/desa codes")),
]
OP_CHOICES = [
    ("lte", _("at most")),
    ("gte", _("at least")),
    ("eq", _("equals")),
    ("in", _("one of (comma-separated)")),
]


class RuleForm(forms.Form):
    """One eligibility rule; an empty row is left out."""

    field = forms.ChoiceField(label=_("Field"), choices=[("", "—"), *FIELD_CHOICES], required=False)
    op = forms.ChoiceField(label=_("Condition"), choices=OP_CHOICES, required=False)
    value = forms.CharField(label=_("Value"), max_length=2000, required=False)

    def rule(self) -> dict[str, Any] | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("field"):
            return None
        return {"field": data["field"], "op": data.get("op") or "", "value": rule_value(data)}


def rule_value(data: dict[str, Any]) -> Any:
    """The typed value the rules expect: whole numbers, a list for `in`, codes as text."""
    text = str(data.get("value") or "").strip()
    if data.get("op") == "in" or data["field"] == "kelurahan_code":
        return [_number(part.strip()) for part in text.split(",") if part.strip()]
    return text.upper() if data["field"] == "sex" else _number(text)


def _number(text: str) -> Any:
    # Plain digits become a number; a kelurahan code ("32.73.01.1001") stays text, and so
    # does anything else, for the rules' own check to name.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else text


def rule_rows(rules: list[dict[str, Any]]) -> list[dict[str, str]]:
    """A programme's stored rules as the editor's rows."""
    rows = []
    for rule in rules:
        value = rule["value"]
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        rows.append({"field": rule["field"], "op": rule["op"], "value": shown})
    return rows


RuleFormSet = forms.formset_factory(RuleForm, extra=3, max_num=20, absolute_max=40)


class CycleForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this person removed from the list?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WhyForm(forms.Form):
    """The reason a confirmation page asks for (retiring, deleting, sending back,
    cancelling): required, and kept in the audit log. The label says what it is for."""

    reason = forms.CharField(
        label=_("Why?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log with your name."),
    )

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["reason"].label = label


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandoverForm(forms.Form):
    paid_on = forms.DateField(label=_("Date"), widget=DATE, initial=dt.date.today)
    channel = forms.ChoiceField(label=_("Channel"), choices=Handover.Channel.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=80,
        help_text=_("The transfer number, receipt or delivery note."),
    )
    photo = forms.FileField(
        label=_("Photo of the handover (optional)"),
        required=False,
        help_text=_("JPEG or PNG; its location data is removed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png"


class UnechoedInput(forms.TextInput):
    """A NIK field that never writes the typed NIK back into the page."""

    def format_value(self, value: Any) -> str | None:
        return None


class LookupForm(forms.Form):
    nik = forms.CharField(
        label=_("Your NIK (16 digits)"),
        max_length=40,
        widget=UnechoedInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Your name, as on your KTP"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
