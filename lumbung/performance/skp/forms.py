"""Forms of the SKP pages: a new plan's year, a result with its indicators (a formset) and
linked activities, a note for a return or a revision, and an evaluation. Shape only; the
services decide, and their field errors come back to these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ..models import Activity, Rating, ResultKind
from .inputs import INDICATOR_MAX, INDICATORS_MAX, NOTE_MAX, RESULT_MAX, UNIT_MAX


class PlanForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())

    def __init__(self, *args: Any, this_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = (this_year - 1, this_year, this_year + 1)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["year"].initial = this_year


class ActivityChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return gettext("%(name)s (%(minutes)d minutes per %(unit)s)") % {
            "name": obj.name, "minutes": obj.standard_minutes, "unit": obj.output_unit,
        }  # fmt: skip


class ResultForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ResultKind.choices, initial=ResultKind.MAIN,
        widget=forms.RadioSelect,
    )  # fmt: skip
    text = forms.CharField(
        label=_("Result (hasil kerja)"),
        max_length=RESULT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    activities = ActivityChoice(
        label=pgettext_lazy("performance", "Activities that are its evidence"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("Their approved minutes are shown beside the result, quarter by quarter."),
    )

    def __init__(self, *args: Any, usable: list[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activities"]
        field.queryset = Activity.objects.filter(pk__in=[a.pk for a in usable])  # type: ignore[attr-defined]
        field.widget.attrs["size"] = min(12, max(4, len(usable)))


class IndicatorForm(forms.Form):
    text = forms.CharField(label=_("Indicator"), max_length=INDICATOR_MAX)
    target = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    target_unit = forms.CharField(label=_("Unit"), max_length=UNIT_MAX)


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, extra=2, max_num=INDICATORS_MAX, validate_max=True, can_delete=True
)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (the other side reads it)"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvaluationForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=())
    result_rating = forms.ChoiceField(
        label=_("Results"), choices=Rating.choices, widget=forms.RadioSelect
    )
    behaviour_rating = forms.ChoiceField(
        label=_("Work behaviour"), choices=Rating.choices, widget=forms.RadioSelect
    )
    feedback = forms.CharField(
        label=_("Feedback (the person reads it)"),
        max_length=NOTE_MAX * 2,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, periods: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(q, quarter_label(q)) for q in periods]
        self.fields["period"].choices = choices  # type: ignore[attr-defined]


def quarter_label(period: int) -> str:
    if period == 4:
        return str(_("Quarter 4 (the year's predicate)"))
    return str(_("Quarter %(n)d") % {"n": period})
