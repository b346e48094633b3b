"""In-app notifications of the SKP (email follows on commit, core's notify): the appraiser
hears of a plan proposed or reopened, the person of an agreement, a return and an
evaluation. Each runs inside the caller's transaction, in the recipient's language."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from lumbung.core.models import Region, User
from lumbung.core.services.notifications import notify

from ..models import Employee, SkpPlan

# kind -> (who hears, title); the title names the year and the person.
TEXTS: dict[str, tuple[str, Promise]] = {
    "proposed": ("appraiser", _("SKP %(year)d of %(name)s waits for your agreement")),
    "revised": ("appraiser", _("%(name)s reopened their agreed SKP %(year)d to revise it")),
    "agreed": ("person", _("Your SKP %(year)d is agreed")),
    "returned": ("person", _("Your SKP %(year)d was returned to you")),
    "evaluated": ("person", _("Your SKP %(year)d has a new evaluation")),
}


def _url(region: Region, plan: SkpPlan) -> str:
    try:
        return reverse("core:performance:skp_plan", args=[region.slug, plan.pk])
    except NoReverseMatch:  # a deployment without the pages still notifies
        return ""


def skp_notify(region: Region, plan: SkpPlan, kind: str, body: str = "") -> None:
    """Tell the appraiser or the person (whoever `kind` concerns) what happened to `plan`."""
    who, title = TEXTS[kind]
    target = plan.appraiser if who == "appraiser" else plan.employee
    if not isinstance(target, Employee) or target.user_id is None:
        return
    user = User.objects.filter(pk=target.user_id).first()
    if user is None:
        return
    with override(user.language):
        text = str(title) % {"year": plan.year, "name": plan.employee.name}
        notify(
            region=region,
            recipient=user,
            kind=f"performance.skp.{kind}",
            title=text,
            body=body,
            url=_url(region, plan),
        )
