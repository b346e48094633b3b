"""In-app notifications of the review area (email follows on commit, core's notify): the
author of a rejected or adjusted entry, and a reviewer who received escalated entries.
Each runs inside the caller's transaction and writes its rows in one insert."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from lumbung.core.models import Region, User
from lumbung.core.services.notifications import notifications_batched, notify

from ..models import Entry


def _link(region: Region, name: str) -> str:
    # The author's entries page belongs to the worklog area; a deployment without it
    # still notifies, only without the link.
    try:
        return reverse(f"core:performance:{name}", args=[region.slug])
    except NoReverseMatch:
        return ""


def _users(ids: Iterable[int]) -> dict[int, User]:
    return User.objects.in_bulk(list(set(ids)))


def authors_notify(region: Region, entries: list[Entry], kind: str) -> None:
    """Tell each author that `kind` ("reject" or "adjust") happened to their entry."""
    entries = [e for e in entries if e.employee.user_id]
    users = _users(e.employee.user_id for e in entries if e.employee.user_id)
    url = _link(region, "entries")
    with notifications_batched():
        for entry in entries:
            user = users[entry.employee.user_id]  # type: ignore[index]
            with override(user.language):
                title, body = _author_text(entry, kind)
                notify(region=region, recipient=user, kind=f"performance.entry.{kind}",
                       title=title, body=body, url=url)  # fmt: skip


def _author_text(entry: Entry, kind: str) -> tuple[str, str]:
    what = {"date": date_format(entry.work_date), "activity": entry.activity.name}
    reason = {"reason": entry.review_note}
    if kind == "reject":
        return (
            _("Entry rejected: %(date)s, %(activity)s") % what,
            _("Reason: %(reason)s") % reason,
        )
    counts = {"approved": entry.approved_quantity, "claimed": entry.quantity}
    return (
        _("Entry approved with a smaller quantity: %(date)s, %(activity)s") % what,
        (_("Approved %(approved)s of %(claimed)s.") % counts)
        + " "
        + (_("Reason: %(reason)s") % reason),
    )


def reviewers_notify(region: Region, moved: dict[int, int]) -> None:
    """Tell each new reviewer how many entries were escalated to them ({entry: reviewer})."""
    from ..models import Employee

    per_reviewer = Counter(moved.values())
    accounts = dict(
        Employee.objects.filter(region=region, pk__in=per_reviewer, user__isnull=False).values_list(
            "pk", "user_id"
        )
    )
    users = _users(accounts.values())
    url = _link(region, "approvals")
    with notifications_batched():
        for reviewer, count in per_reviewer.items():
            user = users.get(accounts.get(reviewer, 0))
            if user is None:
                continue
            with override(user.language):
                notify(
                    region=region,
                    recipient=user,
                    kind="performance.entry.escalated",
                    title=ngettext(
                        "%(n)d entry passed its review deadline and now waits for you",
                        "%(n)d entries passed their review deadline and now wait for you",
                        count,
                    )
                    % {"n": count},
                    body=_("Their reviewer did not review them in time."),
                    url=url,
                )
