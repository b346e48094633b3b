""" "Due in 3 working days" / "overdue by 2 working days" on the staff pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lumbung.core.models import Region

from ..models import Application
from ..selectors import due_in


@dataclass(frozen=True)
class Due:
    text: str
    overdue: bool


def due_of(region: Region, application: Application) -> Due | None:
    """None while no deadline runs (with the applicant, or a final state)."""
    days = due_in(region, application)
    if days is None:
        return None
    if application.due_at is not None and days == 0:
        from django.utils import timezone

        late = application.due_at < timezone.now()
        return Due(_("overdue since today") if late else _("due today"), late)
    if days < 0:
        n = -days
        text = ngettext("overdue by %(n)d working day", "overdue by %(n)d working days", n)
        return Due(text % {"n": n}, True)
    text = ngettext("due in %(n)d working day", "due in %(n)d working days", days)
    return Due(text % {"n": days}, False)
