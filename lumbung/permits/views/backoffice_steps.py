"""The application's staff page and its step forms: only the current stage's, and only
for a role that may take it. Each form posts here with its `action`; the service decides
(the verifying unit, one's own application, the signatory) and a refusal comes back at
its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lumbung.core.errors import DomainError
from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..forms_backoffice import (
    ChecklistForm,
    InspectionForm,
    NoteForm,
    PaymentStaffForm,
    ReasonForm,
    RecommendForm,
    ScheduleForm,
)
from ..models import Application, ApplicationDocument, Inspection
from ..services.payment import payment_record
from ..services.stages import (
    application_approve,
    application_check,
    application_recommend,
    application_reject,
    application_request_correction,
    application_sign,
    inspection_record,
    inspection_schedule,
)
from ..workflow import (
    APPROVAL,
    CORRECTABLE,
    DOCUMENT_CHECK,
    INSPECTION,
    PAYMENT,
    RECOMMENDATION,
    SIGNING,
    STAFF_STAGES,
)
from .applicant import application_context
from .backoffice_due import due_of
from .common import application_or_404, error_status, show_error

# Which permission lets a role take each stage's steps (the service checks the rest).
STAGE_PERM = {
    DOCUMENT_CHECK: "permits.work_application",
    INSPECTION: "permits.work_application",
    RECOMMENDATION: "permits.work_application",
    APPROVAL: "permits.decide",
    PAYMENT: "permits.work_application",
    SIGNING: "permits.sign",
}
STAGE_ACTIONS = {
    DOCUMENT_CHECK: ("check",),
    INSPECTION: ("schedule", "inspect"),
    RECOMMENDATION: ("recommend",),
    APPROVAL: ("approve",),
    PAYMENT: ("payment",),
    SIGNING: ("sign",),
}


def _documents(region: Region, app: Application) -> list[ApplicationDocument]:
    return list(
        ApplicationDocument.objects.filter(
            region=region, application=app, is_current=True
        ).select_related("requirement")
    )


def _form(
    region: Region, app: Application, action: str, data: Any = None, files: Any = None
) -> forms.Form:
    """The form of one step, bound when `data` is given; prefixed by the action."""
    kwargs: dict[str, Any] = {"data": data, "files": files, "prefix": action}
    makers: dict[str, Callable[[], forms.Form]] = {
        "check": lambda: ChecklistForm(documents=_documents(region, app), **kwargs),
        "schedule": lambda: ScheduleForm(region=region, **kwargs),
        "inspect": lambda: InspectionForm(**kwargs),
        "recommend": lambda: RecommendForm(**kwargs),
        "approve": lambda: NoteForm(**kwargs),
        "payment": lambda: PaymentStaffForm(**kwargs),
        "sign": lambda: NoteForm(**kwargs),
        "correction": lambda: ReasonForm(**kwargs),
        "reject": lambda: ReasonForm(**kwargs),
    }
    return makers[action]()


def allowed_actions(region: Region, user: User, app: Application) -> list[str]:
    """The steps this person's role may take at the application's current stage."""
    perm = STAGE_PERM.get(app.state)
    if perm is None or not can(user, perm, region):
        return []
    actions = list(STAGE_ACTIONS[app.state])
    if app.state in CORRECTABLE:
        actions.append("correction")
    if app.state in STAFF_STAGES:
        actions.append("reject")
    return actions


def case_page(
    request: RegionRequest,
    app: Application,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    region = current_region(request)
    context = application_context(request, region, app)
    actions = allowed_actions(region, request.user, app)
    step_forms = {a: (bound or {}).get(a) or _form(region, app, a) for a in actions}
    context.update(
        {
            "step_forms": step_forms,
            "due": due_of(region, app),
            "inspections": Inspection.objects.filter(region=region, application=app)
            .select_related("inspector")
            .prefetch_related("photos"),
            "may_revoke": can(request.user, "permits.revoke", region),
            "resubmit_form": None,
            "payment_form": None,
        }
    )
    return render(request, "permits/backoffice/case.html", context, status=status)


def _run(region: Region, user: User, app: Application, action: str, form: forms.Form) -> str:
    """Take the step through its service; returns the message to show."""
    data, version = form.cleaned_data, app.version
    common: dict[str, Any] = {
        "region": region,
        "actor": user,
        "application": app,
        "expected_version": version,
    }
    if action == "check":
        assert isinstance(form, ChecklistForm)
        application_check(answers=form.answers(), note=data["note"], **common)
        return _("The documents passed the check.")
    if action == "schedule":
        inspection_schedule(
            scheduled_at=data["scheduled_at"], inspector=data["inspector"], **common
        )
        return _("The inspection is scheduled.")
    if action == "inspect":
        inspection_record(
            findings=data["findings"], passed=data["passed"], photos=data["photos"], **common
        )
        return _("The inspection is recorded.")
    if action == "recommend":
        application_recommend(favourable=data["favourable"], text=data["text"], **common)
        return _("The recommendation is recorded.")
    if action == "approve":
        application_approve(note=data["note"], **common)
        return _("Approved.")
    if action == "payment":
        payment_record(reference=data["reference"], **common)
        return _("The payment reference is recorded.")
    if action == "sign":
        application_sign(note=data["note"], **common)
        return _("Signed: the permit is issued.")
    if action == "correction":
        application_request_correction(note=data["note"], **common)
        return _("Sent back to the applicant for correction.")
    application_reject(reason=data["note"], **common)
    return _("Rejected.")


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("permits.view_queue")
def step(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    region = current_region(request)
    app = application_or_404(region, pk)
    if request.method != "POST":  # the forms are on the application's page
        return redirect("core:permits:case", region.slug, app.pk)
    action = request.POST.get("action", "")
    if action not in allowed_actions(region, request.user, app):
        messages.error(request, _("This step is not open to you at this stage."))
        return case_page(request, app, status=403)
    form = _form(region, app, action, request.POST, request.FILES)
    if not form.is_valid():
        return case_page(request, app, {action: form}, status=422)
    version = request.POST.get("version", "")
    if version.isdigit() and int(version) != app.version:
        form.add_error(None, _("Someone else changed this application meanwhile; check it again."))
        return case_page(request, app, {action: form}, status=409)
    try:
        done = _run(region, request.user, app, action, form)
    except DomainError as error:
        show_error(form, error)
        if not form.errors:
            form.add_error(None, str(error.message))
        return case_page(
            request, application_or_404(region, pk), {action: form}, status=error_status(error)
        )
    messages.success(request, done)
    return redirect("core:permits:case", region.slug, app.pk)
