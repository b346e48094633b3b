"""Forms of the staff pages: the queue's filters and one form per review step. They shape
the input only; the services decide, and their refusals land on these forms' fields. Every
step form carries the proposal's version, so a form left open while someone else moved the
proposal is refused as stale."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import Region, Unit

from .checks import COMPUTED_CHECKS
from .forms import DATE, DocumentField, RupiahField
from .models import ChecklistItem, HibahProgramme, Verification
from .services.checklists import Answer
from .workflow import HIBAH_FLOW, REVIEW_STAGES

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def active_units(region: Region) -> Any:
    return Unit.objects.filter(region=region, is_active=True).order_by("name")


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Stage"), required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=HibahProgramme.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Evaluating unit"), queryset=Unit.objects.none(), required=False
    )
    q = forms.CharField(label=_("Number, title or organisation"), required=False, max_length=100)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, region: Region, names: Mapping[str, str], **kwargs: Any) -> None:
        """`names`: the region's names for the steps."""
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["state"].choices = [("", _("Every open stage"))] + [
            (s.key, names.get(s.key, s.key)) for s in HIBAH_FLOW.states
        ]
        fields["programme"].queryset = HibahProgramme.objects.filter(region=region)
        fields["programme"].empty_label = _("Any")
        fields["unit"].queryset = active_units(region)
        fields["unit"].empty_label = _("Any")


class StepForm(forms.Form):
    """What every step form has: the action it takes and the version it was shown at."""

    action = forms.CharField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


def note_field(required: bool = False, label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or (_("Note") if required else _("Note (optional)")),
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(StepForm):
    """send_back, reject, return_lpj (note required) and verify_lpj (optional)."""

    def __init__(self, *args: Any, note_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label = _("Note (the organisation reads it)") if note_required else None
        self.fields["note"] = note_field(note_required, label)


class ChecklistForm(StepForm):
    """The step's manual checklist items, each answered yes or no (with a date where the
    item asks for one); the computed items are the system's and not in the form."""

    def __init__(self, *args: Any, items: list[ChecklistItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = [i for i in items if not i.computed_check]
        for item in self.items:
            self.fields[item.key] = forms.ChoiceField(
                label=item.name, choices=YES_NO, widget=forms.RadioSelect
            )
            if item.needs_date:
                self.fields[f"{item.key}__date"] = forms.DateField(
                    label=_("Date"), required=False, widget=DATE
                )
            self.fields[f"{item.key}__note"] = forms.CharField(
                label=_("Remark"), required=False, max_length=1000
            )
        self.fields["note"] = note_field()

    def answers(self) -> dict[str, Answer]:
        data = self.cleaned_data
        return {
            item.key: Answer(
                passed=data[item.key] == "yes",
                on_date=data.get(f"{item.key}__date"),
                note=data.get(f"{item.key}__note") or "",
            )
            for item in self.items
        }

    def others(self) -> list[forms.BoundField]:
        """The step's own fields after the checklist (amount, justification, note)."""
        keys = {i.key for i in self.items}
        return [
            self[n]
            for n, field in self.fields.items()
            if n.split("__")[0] not in keys and not field.widget.is_hidden
        ]

    def rows(self) -> list[tuple[ChecklistItem, list[forms.BoundField]]]:
        """Each item with its own fields, for the template's table."""
        out = []
        for item in self.items:
            names = [item.key, f"{item.key}__date", f"{item.key}__note"]
            out.append((item, [self[n] for n in names if n in self.fields]))
        return out


class AmountMixin(forms.Form):
    amount = RupiahField(label=_("Amount (Rp)"))
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the amount is above the previous stage's."),
    )


class RecommendForm(AmountMixin, ChecklistForm):
    amount = RupiahField(label=_("Recommended amount (Rp)"))


class AmountForm(AmountMixin, StepForm):
    note = note_field()


class AssignForm(StepForm):
    unit = forms.ModelChoiceField(label=_("Evaluating unit (OPD)"), queryset=Unit.objects.none())
    note = note_field()

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units(region)  # type: ignore[attr-defined]


class DecideForm(StepForm):
    decision_number = forms.CharField(label=_("Decision number (SK)"), max_length=80)
    note = note_field()


class NphdForm(StepForm):
    nphd_number = forms.CharField(label=_("NPHD number"), max_length=80)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    document = DocumentField(label=_("Signed NPHD"))
    note = note_field()


class TrancheForm(StepForm):
    amount = RupiahField(label=_("Amount paid (Rp)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    reference = forms.CharField(label=_("SP2D / transfer reference"), max_length=80)
    proof = DocumentField(label=_("Transfer proof"))


class TrancheProofForm(forms.Form):
    """A proof added to a payment already recorded."""

    proof = DocumentField(label=_("Transfer proof"), required=True)


class OrganisationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Verification.VERIFIED, _("Verify")), (Verification.REJECTED, _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required when rejecting: the organisation reads it)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Administration ----------------------------------------------------------------------------


class ProgrammeForm(forms.Form):
    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    code = forms.CharField(
        label=_("Code"), max_length=40, help_text=_("Lowercase letters, digits and hyphens.")
    )
    year = forms.IntegerField(label=_("Budget year"))
    ceiling = RupiahField(label=_("Ceiling (Rp)"))
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    opens_on = forms.DateField(label=_("Accepts proposals from"), required=False, widget=DATE)
    closes_on = forms.DateField(label=_("Accepts proposals until"), required=False, widget=DATE)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units(region)  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(programme: HibahProgramme | None) -> dict[str, Any]:
        if programme is None:
            return {"is_active": True}
        names = [f for f in PROGRAMME_FORM_FIELDS if f != "unit"]
        return {**{f: getattr(programme, f) for f in names}, "unit": programme.unit_id}


PROGRAMME_FORM_FIELDS = (
    "name_id",
    "name_en",
    "code",
    "year",
    "ceiling",
    "unit",
    "description",
    "opens_on",
    "closes_on",
    "is_active",
)


class ChecklistItemForm(forms.Form):
    """An item's names, order and whether it must pass. A new item picks its step, key and
    (if the system answers it) its check; an existing one keeps them."""

    name_id = forms.CharField(label=_("Question (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=_("Question (English)"), max_length=200)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32000)
    required = forms.BooleanField(label=_("Must pass for the step to go on"), required=False)
    needs_date = forms.BooleanField(label=_("Asks for a date"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        names: Mapping[str, str],
        item: ChecklistItem | None = None,
        **kwargs: Any,
    ) -> None:
        """`names`: the region's names for the steps."""
        super().__init__(*args, **kwargs)
        if item is not None:
            if item.computed_check:
                del self.fields["needs_date"]  # the system answers it: no date to ask for
            return
        self.fields["state"] = forms.ChoiceField(label=_("Step"), choices=review_steps(names))
        self.fields["key"] = forms.CharField(
            label=_("Key"), max_length=60, help_text=_("Lowercase letters, digits and hyphens.")
        )
        self.fields["computed_check"] = forms.ChoiceField(
            label=_("Answered by"),
            required=False,
            choices=[("", _("the reviewer, by hand")), *((k, k) for k in COMPUTED_CHECKS)],
        )

    @staticmethod
    def initial_of(item: ChecklistItem | None) -> dict[str, Any]:
        if item is None:
            return {"required": True, "is_active": True, "position": 100}
        names = ("name_id", "name_en", "position", "required", "needs_date", "is_active")
        return {f: getattr(item, f) for f in names}


def review_steps(names: Mapping[str, str]) -> list[tuple[str, str]]:
    """The steps that have checklists, each by the region's name for it."""
    return [(s, names.get(s, s)) for s in REVIEW_STAGES]
