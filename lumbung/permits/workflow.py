"""The life of a permit application, as data for core's workflow engine.

Every application starts `submitted`; the system routes it at once by its lane:
- report-only and self-declared standard certificate lanes: `register` (the system) ->
  registered, with a receipt or certificate issued in the same transaction, no officer;
- verified standard certificate and permit lanes: `route` (the system) -> document_check
  -> (inspection, when the permit type asks for one) -> recommendation -> approval ->
  (payment, when the levy is above zero) -> signing -> issued.
Staff stages may send the application back for correction (`returned`: the clock stops
and `resubmit` resumes it with the working days that were left) or reject it with a
reason. Where the permit type allows approval by default (fiktif positif), the system
approves an application whose stage deadline passed. The per-type deadline of each stage
is set by the module's services right after each move (see services/moves.py)."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.models.people import Role
from lumbung.core.workflow import RESUME, Action, State, Workflow

STAFF = frozenset({Role.OFFICER, Role.UNIT_HEAD})
DECIDERS = frozenset({Role.UNIT_HEAD, Role.REGION_HEAD})
# A unit head signs only for the permit type's signing unit (checked by the service).
SIGNERS = frozenset({Role.REGION_HEAD, Role.UNIT_HEAD})
# The applicant's own account acts through services that check it is theirs.
APPLICANT = frozenset({Role.CITIZEN})
SYSTEM: frozenset[Role] = frozenset()

SUBMITTED, DOCUMENT_CHECK, INSPECTION = "submitted", "document_check", "inspection"
RECOMMENDATION, APPROVAL, PAYMENT = "recommendation", "approval", "payment"
SIGNING, ISSUED, REGISTERED = "signing", "issued", "registered"
RETURNED, REJECTED, WITHDRAWN = "returned", "rejected", "withdrawn"

# Who decides at each staff stage: they alone send back or reject there.
STAGE_ROLES: dict[str, frozenset[Role]] = {
    DOCUMENT_CHECK: STAFF,
    INSPECTION: STAFF,
    RECOMMENDATION: STAFF,
    APPROVAL: DECIDERS,
    SIGNING: SIGNERS,
}
STAFF_STAGES = tuple(STAGE_ROLES)
CORRECTABLE = (DOCUMENT_CHECK, INSPECTION, RECOMMENDATION, APPROVAL)
# Stages where only the permit type's verifying unit (or region-wide staff) acts.
VERIFYING_STAGES = (DOCUMENT_CHECK, INSPECTION, RECOMMENDATION)
# Stages whose deadline a permit type sets (the stages where the region's clock runs).
SLA_STAGES = STAFF_STAGES
BEFORE_PAYMENT = (DOCUMENT_CHECK, INSPECTION, RECOMMENDATION, APPROVAL)
FINAL = (ISSUED, REGISTERED, REJECTED, WITHDRAWN)
GRANTED = (ISSUED, REGISTERED)
ANY_STAFF = STAFF | DECIDERS | SIGNERS

APPLICATION_FLOW = Workflow(
    key="permits.application",
    initial=SUBMITTED,
    states=(
        State(SUBMITTED, _("Submitted")),
        State(DOCUMENT_CHECK, _("Document check"), sla_days=3),
        State(INSPECTION, _("Field inspection"), sla_days=5),
        State(RECOMMENDATION, _("Technical recommendation"), sla_days=3),
        State(APPROVAL, _("Approval"), sla_days=2),
        State(PAYMENT, _("Waiting for the levy payment"), clock_stopped=True),
        State(SIGNING, _("Signing"), sla_days=2),
        State(ISSUED, _("Issued"), terminal=True),
        State(REGISTERED, _("Registered"), terminal=True),
        State(RETURNED, _("Returned for correction"), clock_stopped=True),
        State(REJECTED, _("Rejected"), terminal=True),
        State(WITHDRAWN, _("Withdrawn"), terminal=True),
    ),
    actions=(
        Action(
            "route",
            _("Route to the document check"),
            (SUBMITTED,),
            DOCUMENT_CHECK,
            SYSTEM,
            system=True,
        ),
        Action("register", _("Register at once"), (SUBMITTED,), REGISTERED, SYSTEM, system=True),
        Action(
            "check_pass",
            _("Documents complete, to inspection"),
            (DOCUMENT_CHECK,),
            INSPECTION,
            STAFF,
        ),
        Action(
            "check_pass_direct", _("Documents complete"), (DOCUMENT_CHECK,), RECOMMENDATION, STAFF
        ),
        Action("inspect", _("Inspection recorded"), (INSPECTION,), RECOMMENDATION, STAFF),
        Action("recommend", _("Recommend"), (RECOMMENDATION,), APPROVAL, STAFF),
        Action("approve", _("Approve"), (APPROVAL,), SIGNING, DECIDERS),
        Action("approve_for_payment", _("Approve, levy due"), (APPROVAL,), PAYMENT, DECIDERS),
        Action(
            "record_payment", _("Record the levy payment"), (PAYMENT,), SIGNING, STAFF | APPLICANT
        ),
        Action("sign", _("Sign and issue"), (SIGNING,), ISSUED, SIGNERS),
        Action(
            "request_correction",
            _("Request a correction"),
            CORRECTABLE,
            RETURNED,
            STAFF | DECIDERS,
            note_required=True,
        ),
        Action("resubmit", _("Resubmit"), (RETURNED,), RESUME, APPLICANT),
        Action("reject", _("Reject"), STAFF_STAGES, REJECTED, ANY_STAFF, note_required=True),
        Action(
            "withdraw", _("Withdraw"), (DOCUMENT_CHECK, RETURNED, PAYMENT), WITHDRAWN, APPLICANT
        ),
        # Approval by default (fiktif positif): the system, when a stage's deadline passed.
        Action(
            "approve_by_default",
            _("Approved by default"),
            STAFF_STAGES,
            ISSUED,
            SYSTEM,
            note_required=True,
            system=True,
        ),
        Action(
            "approve_by_default_for_payment",
            _("Approved by default, levy due"),
            BEFORE_PAYMENT,
            PAYMENT,
            SYSTEM,
            note_required=True,
            system=True,
        ),
        Action(
            "issue_by_default",
            _("Issued by default on payment"),
            (PAYMENT,),
            ISSUED,
            SYSTEM,
            note_required=True,
            system=True,
        ),
    ),
    escalation=(Role.UNIT_HEAD, Role.REGION_ADMIN),
)
