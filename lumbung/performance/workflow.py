"""The performance module's workflows, as data for core's workflow engine.

`performance.entry`: an activity entry is `submitted` and waits for its reviewer (the
direct supervisor; up the chain on escalation) for the review deadline, a working-day SLA a
region overrides like any other (its "review deadline" setting). The reviewer approves it,
approves an adjusted quantity, or rejects it with a reason; the author may withdraw it while
it waits. After the month closes, an authorised correction may turn an approved entry into a
rejected one or back, always with a reason.

Who reviews is a relationship (the supervisor chain), not a role, so the review actions are
`system` actions that the module's services take only after checking that relationship;
nobody ever reviews their own entries. Escalation moves the entry to the next supervisor up
(tasks.py), so core's role-based escalation is switched off here (`escalation=()`).

`performance.activity`: an activity an ASN proposes waits for a unit head or the region
administrator; one the administrator creates is approved at once; an approved activity may
be retired (entries already made keep it).

`performance.skp`: a civil servant's yearly SKP plan is a `draft` they edit, `proposed` to
their appraiser (the direct supervisor), who `agree`s (the plan is then locked) or returns
it with a note; an agreed plan goes back to draft only by a `revise` with the reason, and is
agreed again. Like the review, who appraises is a relationship, so these are `system`
actions the SKP services take after checking it; nobody agrees to their own plan."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.models.people import Role
from lumbung.core.workflow import Action, State, Workflow

SUBMITTED, APPROVED, REJECTED, WITHDRAWN = "submitted", "approved", "rejected", "withdrawn"
PROPOSED, RETIRED = "proposed", "retired"
VETTED: frozenset[Role] = frozenset()  # the service checks the supervisor chain
CORRECTORS = frozenset({Role.REGION_ADMIN, Role.PAYROLL})
CURATORS = frozenset({Role.REGION_ADMIN, Role.UNIT_HEAD})
REVIEW_DAYS = 3  # working days a reviewer has, unless the region says otherwise

ENTRY_FLOW = Workflow(
    key="performance.entry",
    initial=SUBMITTED,
    states=(
        State(SUBMITTED, _("Awaiting review"), sla_days=REVIEW_DAYS),
        State(APPROVED, _("Approved")),
        State(REJECTED, _("Rejected")),
        State(WITHDRAWN, _("Withdrawn"), terminal=True),
    ),
    actions=(
        Action("approve", _("Approve"), (SUBMITTED,), APPROVED, VETTED, system=True),
        Action(
            "adjust",
            _("Approve an adjusted quantity"),
            (SUBMITTED,),
            APPROVED,
            VETTED,
            note_required=True,
            system=True,
        ),
        Action(
            "reject", _("Reject"), (SUBMITTED,), REJECTED, VETTED, note_required=True, system=True
        ),
        Action("withdraw", _("Withdraw"), (SUBMITTED,), WITHDRAWN, VETTED, system=True),
        Action(
            "correct_approve",
            _("Correct: approve"),
            (APPROVED, REJECTED),
            APPROVED,
            CORRECTORS,
            note_required=True,
        ),
        Action(
            "correct_reject",
            _("Correct: reject"),
            (APPROVED, REJECTED),
            REJECTED,
            CORRECTORS,
            note_required=True,
        ),
    ),
    escalation=(),
)

ACTIVITY_FLOW = Workflow(
    key="performance.activity",
    initial=PROPOSED,
    states=(
        State(PROPOSED, _("Proposed"), sla_days=5),
        State(APPROVED, _("In use")),
        State(REJECTED, _("Not accepted"), terminal=True),
        State(RETIRED, _("Retired"), terminal=True),
    ),
    actions=(
        Action("accept", _("Accept"), (PROPOSED,), APPROVED, CURATORS),
        Action("decline", _("Decline"), (PROPOSED,), REJECTED, CURATORS, note_required=True),
        Action("retire", _("Retire"), (APPROVED,), RETIRED, CURATORS, note_required=True),
    ),
    escalation=(Role.REGION_ADMIN,),
)

DRAFT, AGREED = "draft", "agreed"
AGREE_DAYS = 5  # working days an appraiser has to agree or return a proposed plan

PLAN_FLOW = Workflow(
    key="performance.skp",
    initial=DRAFT,
    states=(
        State(DRAFT, _("Draft")),
        State(PROPOSED, _("Proposed"), sla_days=AGREE_DAYS),
        State(AGREED, _("Agreed")),
    ),
    actions=(
        Action("propose", _("Propose"), (DRAFT,), PROPOSED, VETTED, system=True),
        Action("agree", _("Agree"), (PROPOSED,), AGREED, VETTED, system=True),
        Action("return", _("Return"), (PROPOSED,), DRAFT, VETTED, note_required=True, system=True),
        Action("revise", _("Revise"), (AGREED,), DRAFT, VETTED, note_required=True, system=True),
    ),
    escalation=(),
)
