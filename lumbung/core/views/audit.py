"""The audit browser: filter the region's hash-chained log, page through it, export CSV."""

from __future__ import annotations

import csv
import json

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..forms import AuditFilterForm
from ..models import Region
from ..selectors import audit_event_list
from ..tenancy import region_scope
from .helpers import RegionRequest, current_region, require_perm


def _filtered_events(request: RegionRequest, region: Region):  # type: ignore[no-untyped-def]
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, audit_event_list(region, **{k: v for k, v in filters.items() if v})


@require_safe
@require_perm("core.view_audit")
def audit(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form, events = _filtered_events(request, region)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/backoffice/audit.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_safe
@require_perm("core.view_audit")
def audit_csv(request: RegionRequest, region_slug: str) -> StreamingHttpResponse:
    region = current_region(request)
    _form, events = _filtered_events(request, region)
    writer = csv.writer(_Echo())
    header = [
        "seq",
        "time",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object",
        "changes",
        "reason",
        "request_id",
        "hash",
    ]

    def rows():  # type: ignore[no-untyped-def]
        # Streaming runs after the middleware has left the region's scope: re-enter it.
        yield writer.writerow(header)
        with region_scope(region):
            yield from _audit_rows(writer, events)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{region.slug}.csv"'
    return response


def _audit_rows(writer, events):  # type: ignore[no-untyped-def]
    for e in events.iterator(chunk_size=1000):
        yield writer.writerow(
            [
                e.seq,
                e.created_at.isoformat(),
                _cell(e.actor_label),
                e.action,
                e.object_type,
                _cell(e.object_id),
                _cell(e.object_repr),
                _cell(json.dumps(e.changes, ensure_ascii=False, sort_keys=True)),
                _cell(e.reason),
                _cell(e.request_id),
                e.hash,
            ]
        )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (titles, names and reasons can
    come from citizens; the auditor opens the export in Excel or LibreOffice)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value
