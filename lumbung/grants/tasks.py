"""Background work of the grants module: LPJ reminders. Each reminder (30 days before
the due date, 7 days before, and once overdue) goes out once per proposal; the audit event
that records it is also what says it was sent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import AuditEvent, Region, User
from lumbung.core.models.people import Role
from lumbung.core.selectors import region_list_active, region_modules_enabled, staff_with_role
from lumbung.core.services.audit import audit_record
from lumbung.core.services.notifications import notify
from lumbung.core.tenancy import region_scope

from .models import Proposal
from .workflow import DISBURSED

REMINDER = "grants.hibah.lpj_reminder"
# (mark, sent when this many days or fewer are left); "overdue" once the date has passed.
MARKS = (("d30", 30), ("d7", 7))


def _mark(days_left: int) -> str | None:
    if days_left < 0:
        return "overdue"
    due = [mark for mark, days in MARKS if days_left <= days]
    return due[-1] if due else None


def _sent(region: Region, proposal: Proposal) -> set[str]:
    events = AuditEvent.objects.filter(
        region=region,
        action=REMINDER,
        object_type=Proposal._meta.label_lower,
        object_id=str(proposal.pk),
    )
    return {str(e.changes.get("reminder")) for e in events}


def _text(proposal: Proposal, mark: str) -> str:
    if mark == "overdue":
        return _("The accountability report (LPJ) of %(number)s was due on %(date)s.") % {
            "number": proposal.number,
            "date": proposal.lpj_due_on,
        }
    return _("The accountability report (LPJ) of %(number)s is due on %(date)s.") % {
        "number": proposal.number,
        "date": proposal.lpj_due_on,
    }


def _recipients(proposal: Proposal, mark: str) -> list[User]:
    people = list(proposal.organisation.accounts.all())
    if mark == "overdue":  # the grants officers follow up an overdue report
        people += staff_with_role(proposal.region, Role.OFFICER, proposal.programme.unit)
    return people


def _remind(region: Region, proposal: Proposal, mark: str) -> None:
    with transaction.atomic():
        for user in _recipients(proposal, mark):
            with override(user.language):
                notify(
                    region=region,
                    recipient=user,
                    kind=f"grants.lpj_{mark}",
                    title=_text(proposal, mark),
                )
        audit_record(
            region=region,
            actor=None,
            action=REMINDER,
            obj=proposal,
            changes={"reminder": mark, "lpj_due_on": proposal.lpj_due_on},
        )


def lpj_reminders(*, region: Region, today: dt.date | None = None) -> int:
    """Send the region's due LPJ reminders, each once; returns how many proposals were
    reminded. A proposal first seen late gets only the latest reminder that applies."""
    today = today or RegionCalendar(region).local_date(timezone.now())
    waiting = Proposal.objects.filter(
        region=region, state=DISBURSED, lpj_due_on__isnull=False
    ).select_related("organisation", "programme")
    reminded = 0
    for proposal in waiting.order_by("id"):
        mark = _mark((proposal.lpj_due_on - today).days)
        if mark is not None and mark not in _sent(region, proposal):
            _remind(region, proposal, mark)
            reminded += 1
    return reminded


@task()
def lpj_reminders_all() -> int:
    """LPJ reminders in every region running the module."""
    reminded = 0
    for region in list(region_list_active()):
        with region_scope(region):
            if "grants" in region_modules_enabled(region):
                reminded += lpj_reminders(region=region)
    return reminded
