"""Forms of the staff's pages: the queue's filters, one form per stage's step, an issued
permit's status change, and the catalogue's administration. Shape only; the services
decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lumbung.core.models import Membership, Region, Unit, User
from lumbung.core.models.people import Role

from .models import ApplicationDocument, FeeKind, Lane, PermitType, Risk, Scale
from .models.common import MONEY_MAX
from .workflow import APPLICATION_FLOW, STAFF_STAGES

STAGE_NAMES = {s.key: s.label for s in APPLICATION_FLOW.states}


class QueueFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("Past the deadline only"), required=False)
    q = forms.CharField(label=_("Number or business"), max_length=100, required=False)

    def __init__(self, *args: Any, region: Region, names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("All stages"))] + [(s, names.get(s, s)) for s in STAFF_STAGES]
        self.fields["stage"].choices = choices  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(region=region)  # type: ignore[attr-defined]


class ChecklistForm(forms.Form):
    """One pass/fail answer and a note per current document."""

    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, documents: Sequence[ApplicationDocument] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        for doc in self.documents:
            self.fields[f"passed_{doc.pk}"] = forms.TypedChoiceField(
                label=doc.requirement.name,
                choices=[("yes", _("Passes")), ("no", _("Does not pass"))],
                widget=forms.RadioSelect,
                coerce=lambda v: v == "yes",
            )
            self.fields[f"note_{doc.pk}"] = forms.CharField(
                label=_("Why it does not pass"), max_length=300, required=False
            )

    def answers(self) -> dict[int, tuple[bool, str]]:
        data = self.cleaned_data
        return {d.pk: (data[f"passed_{d.pk}"], data[f"note_{d.pk}"]) for d in self.documents}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    """A correction request or a rejection: the applicant is told this."""

    note = forms.CharField(
        label=_("Reason, as the applicant will read it"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    inspector = forms.ModelChoiceField(label=_("Inspector"), queryset=User.objects.none())

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Membership.objects.filter(
            region=region, role__in=(Role.OFFICER, Role.UNIT_HEAD), is_active=True
        ).values("user")
        self.fields["inspector"].queryset = User.objects.filter(pk__in=staff)  # type: ignore[attr-defined]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class InspectionForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Meets the requirements")), ("no", _("Does not meet them"))],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    photos = MultipleFileField(label=_("Photos"), required=False)


class RecommendForm(forms.Form):
    favourable = forms.TypedChoiceField(
        label=_("Recommendation"),
        choices=[
            ("yes", pgettext_lazy("recommendation", "For")),
            ("no", pgettext_lazy("recommendation", "Against")),
        ],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    text = forms.CharField(
        label=_("Technical recommendation"), widget=forms.Textarea(attrs={"rows": 4})
    )


class PaymentStaffForm(forms.Form):
    reference = forms.CharField(label=_("Payment reference"), max_length=80)


class StatusForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Change"),
        choices=[("suspend", _("Suspend")), ("revoke", _("Revoke")), ("reinstate", _("Reinstate"))],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PermitFilterForm(forms.Form):
    lane = forms.ChoiceField(
        label=_("Lane"), required=False, choices=[("", _("All lanes")), *Lane.choices]
    )
    q = forms.CharField(label=_("Number or business"), max_length=100, required=False)


class PermitTypeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    legal_basis = forms.CharField(
        label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    validity_months = forms.IntegerField(
        label=_("Validity in months (0: no expiry)"), min_value=0, initial=0
    )
    fee_kind = forms.ChoiceField(label=_("Levy formula"), choices=FeeKind.choices)
    fee_amount = forms.DecimalField(
        label=_("Fixed amount (Rupiah)"),
        min_value=0,
        max_value=MONEY_MAX,
        decimal_places=2,
        initial=0,
    )
    fee_rate = forms.DecimalField(
        label=_("Rate per m² or unit (Rupiah)"),
        min_value=0,
        max_value=MONEY_MAX,
        decimal_places=2,
        initial=0,
    )
    default_approval = forms.BooleanField(
        label=_("Approval by default when a deadline passes (fiktif positif)"), required=False
    )
    inspection_required = forms.BooleanField(label=_("Field inspection required"), required=False)
    verifying_unit = forms.ModelChoiceField(
        label=_("Verifying unit"), queryset=Unit.objects.none(), required=False
    )
    signing_unit = forms.ModelChoiceField(
        label=_("Signing unit (its head signs; the head of region always may)"),
        queryset=Unit.objects.none(),
        required=False,
    )
    is_active = forms.BooleanField(label=_("Accepting applications"), required=False, initial=True)

    def __init__(
        self, *args: Any, region: Region, current: PermitType | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The region's open units, and the type's own even if closed since (kept, not chosen).
        kept = [current.verifying_unit_id, current.signing_unit_id] if current else []
        units = Unit.objects.filter(region=region).filter(Q(is_active=True) | Q(pk__in=kept))
        self.fields["verifying_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["signing_unit"].queryset = units  # type: ignore[attr-defined]


class RequirementForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("pdf", _("PDF document")), ("image", _("Image"))]
    )
    mandatory = forms.BooleanField(label=_("Mandatory"), required=False, initial=True)


class SlaForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage in STAFF_STAGES:
            self.fields[stage] = forms.IntegerField(
                label=str(STAGE_NAMES.get(stage, stage)),
                min_value=1,
                max_value=365,
                required=False,
                help_text=_("Working days; empty: the region's standard deadline."),
            )


class KbliImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: code, title_id, title_en, risk_micro, risk_small, risk_medium, "
            "risk_large, and optionally permit_type (a type's code). UTF-8, at most 2 MB."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        data: bytes = upload.read()
        return data


class RuleForm(forms.Form):
    priority = forms.IntegerField(label=_("Priority"), min_value=0, max_value=32767)
    kbli_prefix = forms.CharField(label=_("KBLI code or prefix"), max_length=5, required=False)
    risk = forms.ChoiceField(
        label=_("Risk"), choices=[("", _("Any")), *Risk.choices], required=False
    )
    scale = forms.ChoiceField(
        label=_("Scale"), choices=[("", _("Any")), *Scale.choices], required=False
    )
    capital_min = forms.DecimalField(
        label=_("Capital from"), min_value=0, max_value=MONEY_MAX, decimal_places=2, required=False
    )
    capital_max = forms.DecimalField(
        label=_("Capital below"), min_value=0, max_value=MONEY_MAX, decimal_places=2, required=False
    )
    below_threshold = forms.BooleanField(
        label=_("Capital under the region's report-only threshold"), required=False
    )
    lane = forms.ChoiceField(label=_("Lane"), choices=Lane.choices)
    permit_type = forms.ModelChoiceField(
        label=_("Permit type"), queryset=PermitType.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    is_active = forms.BooleanField(
        label=_("Active (an inactive rule routes nothing)"), required=False, initial=True
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].queryset = PermitType.objects.filter(region=region)  # type: ignore[attr-defined]
