"""The life of a report, as data for core's workflow engine.

submitted --verify--> in_progress --resolve--> resolved --confirm/auto-close--> closed
    |                      ^                       |
    +--reject--> rejected  +-------dispute---------+
    +--mark_duplicate--> duplicate (also from in_progress)

Deadlines (pinned defaults, in working days; a region overrides them on its SLA page):
a first response within 3, and resolution within 2, 5, 14 or 60 by the category's class.
"""

from django.utils.translation import gettext_lazy as _

from lumbung.core.models.people import Role
from lumbung.core.workflow import Action, State, Workflow

from .models import SlaClass

STAFF = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN})
# The reporter: signed in (a citizen of the region), or the holder of the secret link,
# whom the service has checked before acting as the system on their behalf.
REPORTER = frozenset({Role.CITIZEN})

FIRST_RESPONSE_DAYS = 3
RESOLUTION_DAYS = {
    SlaClass.URGENT: 2,
    SlaClass.ORDINARY: 5,
    SlaClass.COMPLEX: 14,
    SlaClass.PROGRAMME: 60,
}

SUBMITTED, IN_PROGRESS, RESOLVED = "submitted", "in_progress", "resolved"
CLOSED, REJECTED, DUPLICATE = "closed", "rejected", "duplicate"

REPORT_FLOW = Workflow(
    key="complaints.report",
    initial=SUBMITTED,
    states=(
        State(SUBMITTED, _("Received"), sla_days=FIRST_RESPONSE_DAYS),
        State(
            IN_PROGRESS,
            _("In progress"),
            sla_days=RESOLUTION_DAYS[SlaClass.ORDINARY],
            sla_variants={str(k): v for k, v in RESOLUTION_DAYS.items()},
        ),
        State(RESOLVED, _("Resolved, awaiting confirmation")),
        State(CLOSED, _("Closed"), terminal=True),
        State(REJECTED, _("Rejected"), terminal=True),
        State(DUPLICATE, _("Duplicate"), terminal=True),
    ),
    actions=(
        Action("verify", _("Verify"), (SUBMITTED,), IN_PROGRESS, STAFF),
        Action("reject", _("Reject"), (SUBMITTED,), REJECTED, STAFF, note_required=True),
        Action(
            "mark_duplicate", _("Mark as duplicate"), (SUBMITTED, IN_PROGRESS), DUPLICATE, STAFF
        ),
        Action("resolve", _("Resolve"), (IN_PROGRESS,), RESOLVED, STAFF, note_required=True),
        Action("confirm", _("Confirm it is fixed"), (RESOLVED,), CLOSED, REPORTER, system=True),
        Action(
            "dispute",
            _("Not fixed: reopen"),
            (RESOLVED,),
            IN_PROGRESS,
            REPORTER,
            note_required=True,
            system=True,
        ),
        # Nobody answered the resolution within the confirmation window (a task closes it).
        Action(
            "auto_close", _("Closed without a reply"), (RESOLVED,), CLOSED, frozenset(), system=True
        ),
    ),
)

# Taken only through the reporter's services (which check who is asking), or by the task.
REPORTER_ACTIONS = frozenset({"confirm", "dispute", "auto_close"})
OPEN_STATES = (SUBMITTED, IN_PROGRESS, RESOLVED)
TERMINAL = (CLOSED, REJECTED, DUPLICATE)
# Open311 knows two statuses; a resolved report waiting for the reporter is closed to it.
OPEN311_STATUS = {SUBMITTED: "open", IN_PROGRESS: "open"}


def open311_status(state: str) -> str:
    return OPEN311_STATUS.get(state, "closed")
