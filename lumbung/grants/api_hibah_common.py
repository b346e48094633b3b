"""What the hibah API's handlers share: who may see an organisation or a proposal (staff
of the region, or the organisation's own accounts; anyone else gets a 404 that confirms
nothing), and how each is shown to them."""

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from lumbung.api.context import actor_of, region_of
from lumbung.core.errors import NotFound
from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.workflow_selectors import state_labels

from .models import ChecklistAnswer, Document, Organisation, Proposal, Tranche
from .selectors_hibah import proposal_amounts, proposal_get, proposal_timeline
from .services.organisations import is_account
from .workflow import APPLICANT_ACTIONS, HIBAH_FLOW

Viewer = Literal["staff", "applicant"]

# The region's names for the steps, read once for a page of rows (region id -> names).
_page_names: ContextVar[dict[int, dict[str, str]] | None] = ContextVar(
    "grants_page_names", default=None
)


class Shown:
    """A queryset paged by ninja and shown row by row: only the page's rows are read and
    turned into their output, and the count is one COUNT query."""

    def __init__(self, rows: QuerySet[Any], show: Callable[[Any], dict[str, Any]]) -> None:
        self.rows, self.show = rows, show

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        token = _page_names.set({})  # what the rows share (the step names) is read once
        try:
            return [self.show(row) for row in self.rows[index]]
        finally:
            _page_names.reset(token)


def _step_names(proposal: Proposal) -> dict[str, str]:
    memo = _page_names.get()
    if memo is None:
        return state_labels(proposal.region, HIBAH_FLOW.key)
    if proposal.region_id not in memo:
        memo[proposal.region_id] = state_labels(proposal.region, HIBAH_FLOW.key)
    return memo[proposal.region_id]


def is_grants_staff(user: User, region: Region) -> bool:
    return can(user, "grants.view_queue", region)


def organisation_visible(request: HttpRequest, organisation_id: int) -> tuple[Organisation, Viewer]:
    region, user = region_of(request), actor_of(request)
    organisation = Organisation.objects.filter(region=region, pk=organisation_id).first()
    if organisation is None:
        raise NotFound()
    if is_grants_staff(user, region):
        return organisation, "staff"
    if is_account(organisation, user):
        return organisation, "applicant"
    raise NotFound()


def proposal_visible(request: HttpRequest, proposal_id: int) -> tuple[Proposal, Viewer]:
    region, user = region_of(request), actor_of(request)
    proposal = proposal_get(region, proposal_id)
    if is_grants_staff(user, region):
        return proposal, "staff"
    if is_account(proposal.organisation, user):
        return proposal, "applicant"
    raise NotFound()


def documents_out(region: Region, **owner: Any) -> list[dict[str, Any]]:
    found = Document.objects.filter(region=region, **owner)
    return [
        {
            "id": d.pk,
            "tranche_id": d.tranche_id,
            "kind": d.kind,
            "filename": d.filename,
            "content_type": d.content_type,
            "size": d.size,
            "created_at": d.created_at,
        }
        for d in found
    ]


def organisation_out(organisation: Organisation) -> dict[str, Any]:
    fields = [
        "name",
        "kind",
        "legal_number",
        "legal_date",
        "npwp",
        "address",
        "kelurahan_code",
        "phone",
        "email",
        "officers",
        "bank_name",
        "bank_account_number",
        "bank_account_name",
        "verification",
        "verified_at",
        "verification_note",
        "created_at",
        "updated_at",
    ]
    shown = {name: getattr(organisation, name) for name in fields}
    documents = documents_out(organisation.region, organisation=organisation)
    return {**shown, "id": organisation.pk, "documents": documents}


def _ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def proposal_summary(proposal: Proposal, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`names`: the region's names for the steps, when the caller has read them."""
    names = _step_names(proposal) if names is None else names
    programme = proposal.programme
    due = proposal.due_at
    return {
        "id": proposal.pk,
        "number": proposal.number,
        "title": proposal.title,
        "organisation": {"id": proposal.organisation_id, "name": proposal.organisation.name},
        "programme": {
            "id": programme.pk,
            "name": programme.name,
            "code": programme.code,
            "year": programme.year,
        },
        "state": proposal.state,
        "state_label": names.get(proposal.state, proposal.state),
        "version": proposal.version,
        "amounts": proposal_amounts(proposal),
        "evaluating_unit": _ref(proposal.evaluating_unit),
        "due_at": due,
        "overdue": due is not None and due < timezone.now(),
        "created_at": proposal.created_at,
    }


def _names(ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    return {u.pk: u.display_name for u in User.objects.filter(pk__in=wanted)} if wanted else {}


def _answers(region: Region, proposal: Proposal) -> list[dict[str, Any]]:
    found = ChecklistAnswer.objects.filter(region=region, proposal=proposal).select_related("item")
    return [
        {
            "state": a.item.state,
            "key": a.item.key,
            "name": a.item.name,
            "required": a.item.required,
            "passed": a.passed,
            "on_date": a.on_date,
            "note": a.note,
            "computed": a.computed,
            "evidence": a.evidence or {},
            "answered_at": a.answered_at,
        }
        for a in found.order_by("item__state", "item__position", "id")
    ]


def tranches_out(region: Region, proposal: Proposal) -> list[dict[str, Any]]:
    proofs: dict[int, list[dict[str, Any]]] = {}
    for row in documents_out(region, proposal=proposal, tranche__isnull=False):
        proofs.setdefault(row["tranche_id"], []).append(row)
    return [
        {
            "id": t.pk,
            "number": t.number,
            "amount": t.amount,
            "paid_on": t.paid_on,
            "reference": t.reference,
            "created_at": t.created_at,
            "proofs": proofs.get(t.pk, []),
        }
        for t in Tranche.objects.filter(region=region, proposal=proposal)
    ]


def _actions(proposal: Proposal, viewer: Viewer) -> list[str]:
    keys = [a.key for a in HIBAH_FLOW.actions_from(proposal.state) if not a.system]
    if viewer == "applicant":
        return [k for k in keys if k in APPLICANT_ACTIONS]
    return [k for k in keys if k not in APPLICANT_ACTIONS]


def proposal_out(region: Region, proposal: Proposal, viewer: Viewer) -> dict[str, Any]:
    """The whole proposal: amounts by stage with their justifications, the RAB, checklist
    answers with the evidence of computed ones, tranches, documents and the timeline (whose
    actors only staff see)."""
    staff = viewer == "staff"
    changes = list(proposal.amounts.filter(region=region))
    timeline = proposal_timeline(region, proposal)
    names = _names({c.actor_id for c in changes} | {e.actor_id for e in timeline}) if staff else {}
    return {
        **proposal_summary(proposal, state_labels(region, HIBAH_FLOW.key)),
        "viewer": viewer,
        **{
            name: getattr(proposal, name)
            for name in [
                "purpose",
                "location",
                "kelurahan_code",
                "decision_number",
                "nphd_number",
                "nphd_signed_on",
                "lpj_due_on",
                "lpj_submitted_at",
            ]
        },
        "actions": _actions(proposal, viewer),
        "lines": list(
            proposal.budget_lines.filter(region=region).values(
                "position", "description", "quantity", "unit", "unit_price", "total"
            )
        ),
        "amount_changes": [
            {
                "stage": c.stage,
                "amount": c.amount,
                "previous": c.previous,
                "justification": c.justification,
                "actor": names.get(c.actor_id) if c.actor_id else None,
                "created_at": c.created_at,
            }
            for c in changes
        ],
        "answers": _answers(region, proposal),
        "tranches": tranches_out(region, proposal),
        "documents": documents_out(region, proposal=proposal),
        "timeline": [
            {
                "at": e.at,
                "kind": e.kind,
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": names.get(e.actor_id) if e.actor_id else None,
                "note": e.note,
                "amount": e.amount,
                "previous": e.previous,
            }
            for e in timeline
        ],
    }


def shown(request: HttpRequest, proposal: Proposal, viewer: Viewer) -> dict[str, Any]:
    """The proposal as it is now (after a step), for the caller."""
    region = region_of(request)
    return proposal_out(region, proposal_get(region, proposal.pk), viewer)
