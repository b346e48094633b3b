"""A payment's proofs on the staff pages: the SP2D or the bank's transfer slip often
arrives after the payment was recorded, so an officer adds it to the tranche later; each
proof is kept (added, never replaced) and downloaded through the documents view."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..forms_backoffice import TrancheProofForm
from ..models import Document
from ..oversight.selectors import tranche_get
from ..services.disbursement import tranche_proof_attach
from .common import renamed


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("grants.work_proposal")
def tranche_proof(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    try:
        tranche = tranche_get(region, pk)
    except NotFound:
        raise Http404 from None
    bound = request.method == "POST"
    form = TrancheProofForm(request.POST if bound else None, request.FILES if bound else None)
    status = 200
    if bound:
        status = 422
        if form.is_valid():
            try:
                tranche_proof_attach(
                    region=region,
                    actor=request.user,
                    tranche=tranche,
                    upload=form.cleaned_data["proof"],
                )
            except DomainError as error:
                # the service names the file "file"; on this form it is the proof
                apply_domain_error(form, renamed(error, {"file": "proof"}))
                status = error.status
            else:
                messages.success(request, _("The proof was attached to the payment."))
                return redirect("core:grants:case", region.slug, tranche.proposal_id)
    context = {
        "tranche": tranche,
        "proposal": tranche.proposal,
        "proofs": list(Document.objects.filter(region=region, tranche=tranche)),
        "form": form,
    }
    return render(request, "grants/backoffice/tranche_proof.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("staff/tranches/<int:pk>/proof/", tranche_proof, name="tranche-proof"),
]
