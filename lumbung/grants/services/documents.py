"""Documents of organisations and proposals: checked by content, size-capped, stored with
their audit event; attached by the organisation's own accounts or by grants staff."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.attachments import CleanFile, clean_document
from lumbung.core.errors import PermissionDenied, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.services.audit import audit_record

from ..models import Document, Organisation, Proposal, Tranche
from .organisations import is_staff, require_account, same_region


def store_document(
    region: Region,
    actor: User | None,
    cleaned: CleanFile,
    kind: str,
    *,
    organisation: Organisation | None = None,
    proposal: Proposal | None = None,
    tranche: Tranche | None = None,
) -> Document:
    """Save a checked file and its audit event (inside the caller's transaction)."""
    document = Document(
        region=region,
        organisation=organisation,
        proposal=proposal,
        tranche=tranche,
        kind=kind,
        filename=cleaned.name,
        content_type=cleaned.content_type,
        size=cleaned.content.size,
        uploaded_by=actor,
    )
    document.file.save(cleaned.name, cleaned.content, save=False)
    document.save()
    audit_record(
        region=region,
        actor=actor,
        action="grants.document.attach",
        obj=document,
        changes={
            "kind": kind,
            "organisation": organisation.pk if organisation else None,
            "proposal": proposal.pk if proposal else None,
            "tranche": tranche.number if tranche else None,
            "filename": cleaned.name,
        },
    )
    return document


# What an organisation's accounts may attach; staff attach any kind.
APPLICANT_KINDS = frozenset(
    {
        Document.Kind.DEED,
        Document.Kind.LEGAL,
        Document.Kind.NPWP,
        Document.Kind.DOMICILE,
        Document.Kind.BANK,
        Document.Kind.PROPOSAL,
        Document.Kind.RAB,
        Document.Kind.LPJ,
        Document.Kind.OTHER,
    }
)


@transaction.atomic
def document_attach(
    *,
    region: Region,
    actor: User,
    upload: UploadedFile,
    kind: str,
    organisation: Organisation | None = None,
    proposal: Proposal | None = None,
) -> Document:
    """Attach a document to an organisation or to one of its proposals (exactly one),
    by the organisation's own accounts or by grants staff."""
    if (organisation is None) == (proposal is None):
        raise ValidationFailed({"kind": [_("Attach to an organisation or to a proposal.")]})
    owner = organisation if organisation is not None else proposal.organisation  # type: ignore[union-attr]
    same_region(region, organisation or proposal)
    if kind not in Document.Kind.values:
        raise ValidationFailed({"kind": [_("Choose a kind of document.")]})
    if not is_staff(actor, region):
        require_account(owner, actor)
        if kind not in APPLICANT_KINDS:
            raise PermissionDenied()
    cleaned = clean_document(upload)
    return store_document(
        region, actor, cleaned, kind, organisation=organisation, proposal=proposal
    )
