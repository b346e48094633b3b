"""The applicant's pages: apply (the plan's requirements shown before anything is
uploaded), one's applications and permits, an application's page (timeline, the
officer's correction request and the resubmission, the levy's payment reference,
withdrawal), the issued document as PDF, and renewal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.models import Region, Transition, User
from lumbung.core.views.helpers import current_region

from ..forms import ApplyForm, NeedForm, PaymentForm, ResubmitForm
from ..models import Application, Lane, Permit, Requirement
from ..selectors import Plan, applications_of, permit_status, permits_of, requirements_for
from ..services.applications import (
    ApplicationInput,
    application_apply,
    application_resubmit,
    application_withdraw,
)
from ..services.payment import payment_record
from ..services.renewal import application_renew, renewal_open
from ..workflow import APPLICATION_FLOW, PAYMENT, RETURNED
from .common import error_status, own_application, permit_or_404, show_error, signed_in, step_names
from .public import fee_text

WITHDRAWABLE = ("document_check", RETURNED, PAYMENT)
IDENTITY = (
    "business_name",
    "nib",
    "npwp",
    "owner_name",
    "owner_nik",
    "business_address",
    "kelurahan_code",
    "area_m2",
    "unit_count",
)


def _plan(region: Region, data: Any) -> tuple[NeedForm, Plan | None]:
    """The plan for the activities and capital in `data` (a refusal shown on the form)."""
    need = NeedForm(data, region=region)
    if not need.is_valid():
        return need, None
    try:
        return need, requirements_for(
            region, need.cleaned_data["kbli"], need.cleaned_data["capital"]
        )
    except DomainError as error:
        show_error(need, error)
        return need, None


def _input(form: ApplyForm) -> ApplicationInput:
    data = form.cleaned_data
    return ApplicationInput(
        business_name=data["business_name"],
        nib=data["nib"],
        npwp=data["npwp"],
        owner_name=data["owner_name"],
        owner_nik=data["owner_nik"],
        business_address=data["business_address"],
        kelurahan_code=data["kelurahan_code"],
        kbli=data["kbli"],
        capital=data["capital"],
        area_m2=data["area_m2"],
        unit_count=data["unit_count"],
        documents=form.documents(),
    )


def _initial(permit: Permit | None, region: Region) -> dict[str, Any]:
    """A renewal starts from what the permit's application said."""
    if permit is None:
        return {}
    app = permit.application
    initial = {name: getattr(app, name) for name in IDENTITY}
    initial["kbli"] = [a.kbli.code for a in app.activities.filter(region=region)]
    initial["capital"] = app.capital
    return initial


def _apply_page(request: HttpRequest, renews: Permit | None = None) -> HttpResponseBase:
    """Step one: activities and capital (the plan and its documents); step two: the form."""
    region = current_region(request)
    user: User = request.user  # type: ignore[assignment]
    source = request.POST if request.method == "POST" else (request.GET or None)
    need, plan = (
        _plan(region, source)
        if source is not None
        else (
            NeedForm(initial=_initial(renews, region), region=region),
            None,
        )
    )
    ready = plan is not None and (plan.instant or plan.permit_type is not None)
    requirements: list[Requirement] = plan.requirements if plan else []
    form = None
    status = 200
    if ready and request.method == "POST":
        form = ApplyForm(request.POST, request.FILES, region=region, requirements=requirements)
        if form.is_valid():
            try:
                if renews is not None:
                    app = application_renew(
                        region=region, actor=user, permit=renews, data=_input(form)
                    )
                else:
                    app = application_apply(region=region, actor=user, data=_input(form))
            except DomainError as error:
                show_error(form, error)
                status = error_status(error)
            else:
                messages.success(request, _("Your application %(n)s is in.") % {"n": app.number})
                return redirect("core:permits:application", region.slug, app.pk)
        else:
            status = 422
    elif ready:
        initial = {**_initial(renews, region), **(need.cleaned_data if need.is_bound else {})}
        form = ApplyForm(initial=initial, region=region, requirements=requirements)
    elif need.is_bound and need.errors:
        status = 422
    context = {
        "need": need,
        "plan": plan,
        "form": form,
        "lane_label": Lane(plan.lane).label if plan else "",
        "fee": fee_text(plan.permit_type) if plan and plan.permit_type else "",
        "renews": renews,
    }
    return render(request, "permits/applicant/apply.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def apply(request: HttpRequest, region_slug: str) -> HttpResponseBase:
    return _apply_page(request)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def renew(request: HttpRequest, region_slug: str, pk: int) -> HttpResponseBase:
    region = current_region(request)
    permit = permit_or_404(region, pk)
    if permit.application.applicant_id != request.user.pk:
        raise Http404
    try:
        renewal_open(region, permit)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("core:permits:application", region.slug, permit.application_id)
    return _apply_page(request, renews=permit)


@require_safe
@signed_in
def mine(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    user: User = request.user  # type: ignore[assignment]
    names = step_names(request, region)
    applications = list(applications_of(region, user)[:200])
    for app in applications:
        app.state_label = names.get(app.state, app.state)  # type: ignore[attr-defined]
    permits = list(permits_of(region, user)[:200])
    for permit in permits:
        permit.shown_status = permit_status(region, permit)  # type: ignore[attr-defined]
    context = {"applications": applications, "permits": permits}
    return render(request, "permits/applicant/mine.html", context)


def _timeline(region: Region, app: Application, names: dict[str, str]) -> list[dict[str, Any]]:
    steps = Transition.objects.filter(
        region=region, case_type=APPLICATION_FLOW.key, case_id=str(app.pk)
    ).order_by("created_at", "pk")
    return [
        {
            "state": names.get(t.to_state, t.to_state),
            "at": t.created_at,
            "note": t.note,
            "to": t.to_state,
        }
        for t in steps
    ]


def application_context(request: HttpRequest, region: Region, app: Application) -> dict[str, Any]:
    names = step_names(request, region)
    timeline = _timeline(region, app, names)
    correction = next((t["note"] for t in reversed(timeline) if t["to"] == RETURNED), "")
    permit = Permit.objects.filter(region=region, application=app).first()
    renewable = False
    if permit is not None:
        try:
            renewal_open(region, permit)
            renewable = True
        except DomainError:
            renewable = False
    requirements = list(Requirement.objects.filter(region=region, permit_type=app.permit_type_id))
    return {
        "app": app,
        "state_label": names.get(app.state, app.state),
        "timeline": timeline,
        "correction": correction,
        "activities": [a.kbli for a in app.activities.filter(region=region).select_related("kbli")],
        "documents": app.documents.filter(region=region, is_current=True).select_related(
            "requirement"
        ),
        "permit": permit,
        "permit_status": permit_status(region, permit) if permit else "",
        "renewable": renewable,
        "resubmit_form": ResubmitForm(requirements=requirements) if app.state == RETURNED else None,
        "payment_form": PaymentForm() if app.state == PAYMENT else None,
        "withdrawable": app.state in WITHDRAWABLE,
    }


@require_safe
@signed_in
def application(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    app = own_application(region, request.user, pk)  # type: ignore[arg-type]
    context = application_context(request, region, app)
    return render(request, "permits/applicant/application.html", context)


def _act(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    """A POST from the application's page; a refusal is shown there, at its field."""
    region = current_region(request)
    user: User = request.user  # type: ignore[assignment]
    app = own_application(region, user, pk)
    if request.method != "POST":  # the form is on the application's page
        return redirect(reverse("core:permits:application", args=[region.slug, app.pk]))
    context = application_context(request, region, app)
    version = _version(request)
    try:
        if kind == "resubmit":
            requirements = list(
                Requirement.objects.filter(region=region, permit_type=app.permit_type_id)
            )
            form = ResubmitForm(request.POST, request.FILES, requirements=requirements)
            context["resubmit_form"] = form
            if not form.is_valid():
                return render(request, "permits/applicant/application.html", context, status=422)
            application_resubmit(
                region=region,
                actor=user,
                application=app,
                documents=form.documents(),
                note=form.cleaned_data["note"],
                expected_version=version,
            )
            messages.success(request, _("Sent back to the officer."))
        elif kind == "pay":
            pay = PaymentForm(request.POST)
            context["payment_form"] = pay
            if not pay.is_valid():
                return render(request, "permits/applicant/application.html", context, status=422)
            payment_record(
                region=region,
                actor=user,
                application=app,
                reference=pay.cleaned_data["reference"],
                expected_version=version,
            )
            messages.success(request, _("The payment reference is recorded."))
        else:
            application_withdraw(
                region=region, actor=user, application=app, expected_version=version
            )
            messages.success(request, _("The application is withdrawn."))
    except DomainError as error:
        target = context.get("resubmit_form" if kind == "resubmit" else "payment_form")
        if target is not None:
            show_error(target, error)
        else:
            messages.error(request, str(error.message))
        context["error"] = str(error.message)
        return render(
            request, "permits/applicant/application.html", context, status=error_status(error)
        )
    return redirect(reverse("core:permits:application", args=[region.slug, app.pk]))


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def resubmit(request: HttpRequest, region_slug: str, pk: int) -> HttpResponseBase:
    return _act(request, pk, "resubmit")


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def pay(request: HttpRequest, region_slug: str, pk: int) -> HttpResponseBase:
    return _act(request, pk, "pay")


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def withdraw(request: HttpRequest, region_slug: str, pk: int) -> HttpResponseBase:
    return _act(request, pk, "withdraw")


urlpatterns: list[URLPattern] = [
    path("apply/", apply, name="apply"),
    path("mine/", mine, name="mine"),
    path("applications/<int:pk>/", application, name="application"),
    path("applications/<int:pk>/resubmit/", resubmit, name="resubmit"),
    path("applications/<int:pk>/pay/", pay, name="pay"),
    path("applications/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("permits/<int:pk>/renew/", renew, name="renew"),
]
