from lumbung.core.models.people import Role
from lumbung.core.workflow import Action, State, Workflow

STAFF = frozenset({Role.OFFICER, Role.UNIT_HEAD})

SAMPLE_FLOW = Workflow(
    key="sample.case",
    initial="received",
    states=(
        State("received", "Received", sla_days=3),
        State("in_progress", "In progress", sla_days=5, sla_variants={"urgent": 1}),
        State("resolved", "Resolved", terminal=True),
        State("rejected", "Rejected", terminal=True),
    ),
    actions=(
        Action("accept", "Accept", ("received",), "in_progress", STAFF),
        Action("reject", "Reject", ("received",), "rejected", STAFF, note_required=True),
        Action("resolve", "Resolve", ("in_progress",), "resolved", STAFF, attachment_required=True),
        Action("reopen", "Reopen", ("resolved",), "in_progress", frozenset({Role.CITIZEN})),
    ),
)
