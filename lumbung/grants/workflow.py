"""The life of a hibah proposal and of a bansos cycle, as data for core's workflow engine.

Hibah (pinned default; a region renames steps and changes SLAs as data):
submitted (administrative check) -> assignment (consideration team picks the evaluating
OPD) -> evaluation (OPD: field verification, recommended amount) -> consideration ->
tapd (final amount) -> nominative (listed, awaiting the head's decision) -> decided ->
agreement (NPHD signed) -> disbursed (one or more tranches) -> lpj_submitted -> closed.
Any step before the decision may send the proposal back for correction (the clock stops
until the organisation resubmits) or reject it with a reason.

Bansos cycle: draft -> computed (list under review) -> approved (by someone other than who
computed it; disbursing) -> closed.
"""

from django.utils.translation import gettext_lazy as _

from lumbung.core.models.people import Role
from lumbung.core.workflow import RESUME, Action, State, Workflow

OFFICER = frozenset({Role.OFFICER, Role.UNIT_HEAD})
CONSIDERATION = frozenset({Role.CONSIDERATION_TEAM})
BUDGET = frozenset({Role.BUDGET_TEAM})
HEAD = frozenset({Role.REGION_HEAD})
# The organisation's own accounts act through services that check they belong to it.
APPLICANT = frozenset({Role.CITIZEN})

SUBMITTED, ASSIGNMENT, EVALUATION = "submitted", "assignment", "evaluation"
CONSIDERATION_STATE, TAPD, NOMINATIVE = "consideration", "tapd", "nominative"
DECIDED, AGREEMENT, DISBURSED = "decided", "agreement", "disbursed"
LPJ_SUBMITTED, CLOSED = "lpj_submitted", "closed"
RETURNED, REJECTED, WITHDRAWN = "returned", "rejected", "withdrawn"

# The steps that may send a proposal back or reject it, and who decides at each.
STAGE_ROLES: dict[str, frozenset[Role]] = {
    SUBMITTED: OFFICER,
    ASSIGNMENT: CONSIDERATION,
    EVALUATION: OFFICER,
    CONSIDERATION_STATE: CONSIDERATION,
    TAPD: BUDGET,
    NOMINATIVE: HEAD,
}
REVIEW_STAGES = tuple(STAGE_ROLES)
ANY_REVIEWER = frozenset().union(*STAGE_ROLES.values())

HIBAH_FLOW = Workflow(
    key="grants.hibah",
    initial=SUBMITTED,
    states=(
        State(SUBMITTED, _("Administrative check"), sla_days=5),
        State(ASSIGNMENT, _("Assignment to an evaluating unit"), sla_days=3),
        State(EVALUATION, _("Evaluation by the unit (OPD)"), sla_days=14),
        State(CONSIDERATION_STATE, _("Consideration team"), sla_days=7),
        State(TAPD, _("Budget team (TAPD)"), sla_days=14),
        State(NOMINATIVE, _("Nominative list, awaiting the decision"), sla_days=30),
        State(DECIDED, _("Decided, awaiting the NPHD"), sla_days=14),
        State(AGREEMENT, _("NPHD signed, awaiting disbursement"), sla_days=14),
        # Waits for the LPJ, whose due date is a calendar date, not a working-day SLA.
        State(DISBURSED, _("Disbursed, awaiting the LPJ")),
        State(LPJ_SUBMITTED, _("LPJ under verification"), sla_days=10),
        State(CLOSED, _("Closed"), terminal=True),
        State(RETURNED, _("Returned for correction"), clock_stopped=True),
        State(REJECTED, _("Rejected"), terminal=True),
        State(WITHDRAWN, _("Withdrawn"), terminal=True),
    ),
    actions=(
        Action("check_ok", _("Documents complete"), (SUBMITTED,), ASSIGNMENT, OFFICER),
        Action("assign", _("Assign to a unit"), (ASSIGNMENT,), EVALUATION, CONSIDERATION),
        Action("recommend", _("Recommend an amount"), (EVALUATION,), CONSIDERATION_STATE, OFFICER),
        Action("consider", _("Consider"), (CONSIDERATION_STATE,), TAPD, CONSIDERATION),
        Action("finalise", _("Set the final amount"), (TAPD,), NOMINATIVE, BUDGET),
        Action("decide", _("Approve by decision"), (NOMINATIVE,), DECIDED, HEAD),
        Action("sign_nphd", _("Record the signed NPHD"), (DECIDED,), AGREEMENT, OFFICER),
        Action("disburse", _("Disburse"), (AGREEMENT,), DISBURSED, OFFICER),
        Action("submit_lpj", _("Submit the LPJ"), (DISBURSED,), LPJ_SUBMITTED, APPLICANT),
        Action("verify_lpj", _("LPJ verified"), (LPJ_SUBMITTED,), CLOSED, OFFICER),
        Action(
            "return_lpj",
            _("Send the LPJ back"),
            (LPJ_SUBMITTED,),
            DISBURSED,
            OFFICER,
            note_required=True,
        ),
        Action(
            "send_back",
            _("Send back for correction"),
            REVIEW_STAGES,
            RETURNED,
            ANY_REVIEWER,
            note_required=True,
        ),
        Action("resubmit", _("Resubmit"), (RETURNED,), RESUME, APPLICANT),
        Action("reject", _("Reject"), REVIEW_STAGES, REJECTED, ANY_REVIEWER, note_required=True),
        Action("withdraw", _("Withdraw"), (SUBMITTED, RETURNED), WITHDRAWN, APPLICANT),
    ),
    escalation=(Role.UNIT_HEAD, Role.REGION_ADMIN),
)

# Taken only through services that check the actor belongs to the organisation.
APPLICANT_ACTIONS = frozenset({"submit_lpj", "resubmit", "withdraw"})
# States in which the proposal is still being decided (its amounts may change).
UNDECIDED = (SUBMITTED, ASSIGNMENT, EVALUATION, CONSIDERATION_STATE, TAPD, NOMINATIVE, RETURNED)
# States counted against a programme's ceiling once a final amount is set.
FUNDED = (NOMINATIVE, DECIDED, AGREEMENT, DISBURSED, LPJ_SUBMITTED, CLOSED)

DRAFT, COMPUTED, APPROVED, CYCLE_CLOSED, CANCELLED = (
    "draft",
    "computed",
    "approved",
    "closed",
    "cancelled",
)
CYCLE_STAFF = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN})

CYCLE_FLOW = Workflow(
    key="grants.bansos_cycle",
    initial=DRAFT,
    states=(
        State(DRAFT, _("Draft")),
        State(COMPUTED, _("List computed, under review"), sla_days=5),
        State(APPROVED, _("Approved, being disbursed"), sla_days=30),
        State(CYCLE_CLOSED, _("Closed"), terminal=True),
        State(CANCELLED, _("Cancelled"), terminal=True),
    ),
    actions=(
        Action("compute", _("Compute the list"), (DRAFT,), COMPUTED, CYCLE_STAFF),
        Action("send_back", _("Send back"), (COMPUTED,), DRAFT, CYCLE_STAFF, note_required=True),
        # The service refuses an approver who computed the list.
        Action("approve", _("Approve the list"), (COMPUTED,), APPROVED, CYCLE_STAFF),
        Action("close", _("Close the cycle"), (APPROVED,), CYCLE_CLOSED, CYCLE_STAFF),
        Action(
            "cancel",
            _("Cancel"),
            (DRAFT, COMPUTED),
            CANCELLED,
            frozenset({Role.UNIT_HEAD, Role.REGION_ADMIN}),
            note_required=True,
        ),
    ),
)
