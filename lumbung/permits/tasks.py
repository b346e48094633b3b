"""Background work of the permits module: approval by default when a deadline passes,
and renewal reminders before a permit expires."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lumbung.core.errors import DomainError
from lumbung.core.models import Region
from lumbung.core.selectors import region_list_active, region_modules_enabled
from lumbung.core.services.notifications import notify
from lumbung.core.tenancy import region_scope

from .models import Application, Permit, PermitStatus
from .services.common import region_today
from .services.defaults import application_approve_by_default
from .workflow import STAFF_STAGES

logger = logging.getLogger(__name__)
MODULE = "permits"
REMINDERS = ((30, "reminded_30_at"), (7, "reminded_7_at"))


def _regions() -> list[Region]:
    return [r for r in region_list_active() if MODULE in region_modules_enabled(r)]


def approve_by_default(region: Region) -> int:
    """Approve, in one region, every overdue application of a type that allows it."""
    overdue = Application.objects.filter(
        region=region,
        state__in=STAFF_STAGES,
        due_at__lt=timezone.now(),
        permit_type__default_approval=True,
    ).order_by("due_at")
    done = 0
    for application in overdue:
        try:
            application_approve_by_default(region=region, application=application)
        except DomainError as refused:  # moved by staff a moment ago: theirs stands
            logger.info("permits: %s not approved by default (%s)", application.pk, refused.code)
            continue
        done += 1
    return done


@task()
def approve_by_default_all() -> int:
    """Approval by default (fiktif positif) in every region running the module."""
    done = 0
    for region in _regions():
        with region_scope(region):
            done += approve_by_default(region)
    return done


def renewal_reminders(region: Region, today: dt.date | None = None) -> int:
    """Remind holders 30 and 7 days before expiry, each reminder once. A permit already
    within 7 days gets the 7-day reminder only (the 30-day one would say the wrong thing)."""
    today = today or region_today(region)
    sent = 0
    for days, flag in REMINDERS:
        due = Permit.objects.filter(
            Q(status=PermitStatus.VALID) | Q(status=PermitStatus.SUSPENDED),
            region=region,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=days),
            **{f"{flag}__isnull": True},
        ).select_related("application__applicant")
        for permit in due:
            sent += _remind(region, permit, today, days, flag)
    return sent


@transaction.atomic
def _remind(region: Region, permit: Permit, today: dt.date, days: int, flag: str) -> int:
    """One reminder and its mark, together: a crash between them cannot send it twice."""
    left = (permit.valid_until - today).days if permit.valid_until else 0
    marked = Permit.objects.filter(region=region, pk=permit.pk, **{f"{flag}__isnull": True})
    if not marked.update(**{flag: timezone.now()}):
        return 0  # another worker reminded it a moment ago
    if days == 30 and left <= 7:
        return 0
    notify(
        region=region,
        recipient=permit.application.applicant,
        kind="permits.renewal",
        title=_("%(number)s expires in %(days)d days: renew it")
        % {"number": permit.number, "days": left},
    )
    return 1


@task()
def renewal_reminders_all() -> int:
    """Renewal reminders in every region running the module."""
    sent = 0
    for region in _regions():
        with region_scope(region):
            sent += renewal_reminders(region)
    return sent
