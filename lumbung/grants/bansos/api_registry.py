"""Registry and import routes of the bansos API: people (NIK masked; the full personal
data by a separate, audited route; retired, brought back, or deleted when no list ever
named them), and bulk imports with their progress and error report."""

from typing import Any

from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lumbung.api.context import require
from lumbung.api.pagination import Page
from lumbung.core.errors import NotFound, ValidationFailed
from lumbung.core.services.audit import personal_data_read

from ..selectors_bansos import import_job_list, person_search
from ..services.imports import import_start
from ..services.registry import (
    PersonInput,
    person_delete,
    person_personal_read,
    person_reactivate,
    person_retire,
    person_save,
)
from .api_schemas import (
    ImportForm,
    ImportJobOut,
    PersonalIn,
    PersonalOut,
    PersonDetailOut,
    PersonIn,
    PersonOut,
    PersonQuery,
    PersonSavedOut,
    ReasonIn,
    person_detail,
)
from .selectors import import_job_get, person_entitlements, person_get

router = Router(tags=["grants"])
REGISTRY = "grants.manage_registry"


def no_nul(request: HttpRequest) -> None:
    """PostgreSQL cannot store U+0000: a form's text carrying it is refused, as JSON's is."""
    if any("\x00" in v for _k, values in request.POST.lists() for v in values):
        raise ValidationFailed({"__all__": [_("Text may not contain NUL characters.")]})


# People -----------------------------------------------------------------------------------


@router.get(
    "/bansos/persons", response=list[PersonOut], summary="Search the bansos recipient registry"
)
@paginate(Page)
def persons(request: HttpRequest, region_slug: Path[str], filters: Query[PersonQuery]) -> Any:
    """By name (part of it) or a whole NIK; NIKs masked."""
    region, _user = require(request, REGISTRY)
    return person_search(
        region, q=filters.q, kelurahan=filters.kelurahan, decile_max=filters.decile_max
    )


def _saved(result: Any) -> dict[str, Any]:
    return {
        "person": result.person,
        "created": result.created,
        "possible_duplicates": result.possible_duplicates,
    }


@router.post(
    "/bansos/persons",
    response={200: PersonSavedOut, 201: PersonSavedOut},
    summary="Add a person (a NIK already registered updates that person)",
    description="201 when added, 200 when the NIK was already in the registry. Field errors "
    "(validation_error, 422) name the field; possible duplicates are returned, not refused.",
)
def person_add(request: HttpRequest, region_slug: Path[str], data: PersonIn) -> Any:
    region, user = require(request, REGISTRY)
    result = person_save(region=region, actor=user, data=PersonInput(**data.dict()))
    return Status(201 if result.created else 200, _saved(result))


@router.get(
    "/bansos/persons/{int:person_id}",
    response=PersonDetailOut,
    summary="A person (NIK masked) and the lists they are on",
)
def person(request: HttpRequest, region_slug: Path[str], person_id: Path[int]) -> Any:
    region, _user = require(request, REGISTRY)
    found = person_get(region, person_id)
    return person_detail(found, list(person_entitlements(region, found)[:50]))


@router.put(
    "/bansos/persons/{int:person_id}",
    response=PersonSavedOut,
    summary="Change a person (every field; blank clears an optional one)",
    description="Codes: validation_error (422), bansos_nik_taken (409).",
)
def person_change(
    request: HttpRequest, region_slug: Path[str], person_id: Path[int], data: PersonIn
) -> Any:
    region, user = require(request, REGISTRY)
    found = person_get(region, person_id)
    result = person_save(region=region, actor=user, data=PersonInput(**data.dict()), person=found)
    return _saved(result)


@router.post(
    "/bansos/persons/{int:person_id}/personal-data",
    response=PersonalOut,
    summary="A person's full NIK, KK, phone and address (audited)",
    description="A POST so that the answer is never cached; every call is recorded in the "
    "audit log with its purpose.",
)
def personal_data(
    request: HttpRequest, region_slug: Path[str], person_id: Path[int], data: PersonalIn
) -> Any:
    region, user = require(request, REGISTRY)
    found = person_get(region, person_id)
    return person_personal_read(region=region, actor=user, person=found, purpose=data.purpose)


@router.post(
    "/bansos/persons/{int:person_id}/retire",
    response=PersonDetailOut,
    summary="Retire a person: kept for the record, left out of new lists",
    description="`{reason}` (required). Lists already computed keep the person. Codes: "
    "validation_error (422), bansos_person_retired (409).",
)
def person_retire_route(
    request: HttpRequest, region_slug: Path[str], person_id: Path[int], data: ReasonIn
) -> Any:
    region, user = require(request, REGISTRY)
    found = person_retire(
        region=region, actor=user, person=person_get(region, person_id), reason=data.reason
    )
    return person_detail(found, list(person_entitlements(region, found)[:50]))


@router.post(
    "/bansos/persons/{int:person_id}/reactivate",
    response=PersonDetailOut,
    summary="Bring a retired person back into the registry",
    description="`{reason}` (required). Codes: validation_error (422), "
    "bansos_person_not_retired (409).",
)
def person_reactivate_route(
    request: HttpRequest, region_slug: Path[str], person_id: Path[int], data: ReasonIn
) -> Any:
    region, user = require(request, REGISTRY)
    found = person_reactivate(
        region=region, actor=user, person=person_get(region, person_id), reason=data.reason
    )
    return person_detail(found, list(person_entitlements(region, found)[:50]))


@router.delete(
    "/bansos/persons/{int:person_id}",
    response={204: None},
    summary="Delete a person entered by mistake",
    description="`{reason}` (required) in the body. Only a person who was never on a cycle's "
    "list (under review, removed, received or not) can be deleted; anyone else is retired "
    "instead. Codes: validation_error (422), bansos_person_has_history (409).",
)
def person_delete_route(
    request: HttpRequest, region_slug: Path[str], person_id: Path[int], data: ReasonIn
) -> Status[None]:
    region, user = require(request, REGISTRY)
    person_delete(
        region=region, actor=user, person=person_get(region, person_id), reason=data.reason
    )
    return Status(204, None)


# Imports ----------------------------------------------------------------------------------


@router.post(
    "/bansos/imports",
    response={202: ImportJobOut},
    summary="Import a recipient list (multipart: file, source, mode)",
    description="CSV (UTF-8, `,` or `;`) or XLSX. The job runs in the background: poll "
    "GET /bansos/imports/{id} for its progress. Codes: bansos_import_file (400), "
    "validation_error (422).",
)
def import_new(
    request: HttpRequest,
    region_slug: Path[str],
    file: File[UploadedFile],
    form: Form[ImportForm],
) -> Any:
    no_nul(request)
    region, user = require(request, REGISTRY)
    job = import_start(region=region, actor=user, file=file, source=form.source, mode=form.mode)
    return Status(202, job)


@router.get("/bansos/imports", response=list[ImportJobOut], summary="Imports, newest first")
@paginate(Page)
def imports(request: HttpRequest, region_slug: Path[str]) -> Any:
    region, _user = require(request, REGISTRY)
    return import_job_list(region)


@router.get(
    "/bansos/imports/{int:job_id}",
    response=ImportJobOut,
    summary="An import's status and progress",
)
def import_job(request: HttpRequest, region_slug: Path[str], job_id: Path[int]) -> Any:
    region, _user = require(request, REGISTRY)
    return import_job_get(region, job_id)


@router.get(
    "/bansos/imports/{int:job_id}/report",
    summary="An import's report of rows with errors (CSV; audited)",
    description="Columns: row, column, value, message, kind (error or warning). Values as "
    "written, full NIKs included: for the registry's staff only, and each download is "
    "recorded. 404 when the import found nothing to report.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def import_report(request: HttpRequest, region_slug: Path[str], job_id: Path[int]) -> FileResponse:
    region, user = require(request, REGISTRY)
    job = import_job_get(region, job_id)
    if not job.error_report:
        raise NotFound(_("This import has no report."))
    with transaction.atomic():
        personal_data_read(
            region=region,
            actor=user,
            obj=job,
            fields=["nik", "kk", "phone", "address"],
            purpose=_("import error report"),
        )
    response = FileResponse(
        job.error_report.open("rb"), as_attachment=True, content_type="text/csv; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response
