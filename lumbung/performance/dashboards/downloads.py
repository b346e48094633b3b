"""CSV downloads of the dashboards' tables (the JSON of each is its API route, which the
pages link: the API takes the browser's session too)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from .anomalies import anomalies as anomalies_of
from .month import yardstick
from .scope import scope_of
from .selectors import pending_by_reviewer, trend, unit_figures, unit_people
from .views import month_of, unit_or_404

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A text a spreadsheet will not run as a formula (names and notes are typed by people)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return f"'{value}"
    return "" if value is None else value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@require_perm("performance.view_dashboards")
def dashboard_csv(request: RegionRequest, region_slug: str) -> HttpResponse:
    """?table=units (default), pending or trend."""
    region = current_region(request)
    month, _errors = month_of(request, region)
    scope = scope_of(region, request.user)
    table = request.GET.get("table", "units")
    name = f"performance-{region.slug}-{month.key}-{table}.csv"
    if table == "pending":
        queues = pending_by_reviewer(region, scope, month)
        header = ["reviewer_id", "reviewer", "unit", "entries", "minutes", "overdue", "oldest_due"]
        rows = [
            [q.reviewer_id, q.name, q.unit, q.entries, q.minutes, q.overdue,
             q.oldest_due.isoformat() if q.oldest_due else ""]
            for q in queues
        ]  # fmt: skip
        return csv_response(name, header, rows)
    if table == "trend":
        months, trend_rows = trend(region, scope, month)
        header = ["unit_id", "unit", *(m.key for m in months)]
        return csv_response(name, header, ([r.unit_id, r.name, *r.averages] for r in trend_rows))
    stick = yardstick(region, month)
    header = ["unit_id", "unit", "people", "approved_minutes", "average_minutes",
              "pending_minutes", "reached_target", "reached_share", "idle",
              "overloaded"]  # fmt: skip
    rows = [
        [u.unit_id, u.name, u.people, u.approved, u.average, u.pending, u.reached,
         u.reached_share, u.idle, u.overloaded]
        for u in unit_figures(region, scope, stick)
    ]  # fmt: skip
    return csv_response(f"performance-{region.slug}-{month.key}-units.csv", header, rows)


@require_safe
@require_perm("performance.view_dashboards")
def unit_csv(request: RegionRequest, region_slug: str, unit_id: int) -> HttpResponse:
    """The unit's people, for those who may see them; else the unit's own figures."""
    region = current_region(request)
    scope = scope_of(region, request.user)
    found = unit_or_404(region, scope, unit_id)
    month, _errors = month_of(request, region)
    stick = yardstick(region, month)
    name = f"performance-{region.slug}-{month.key}-unit-{found.pk}.csv"
    if not scope.sees_people(found.pk):
        header = ["unit_id", "unit", "people", "approved_minutes", "average_minutes", "idle"]
        units = unit_figures(region, scope, stick, unit_id=found.pk)
        return csv_response(
            name,
            header,
            ([u.unit_id, u.name, u.people, u.approved, u.average, u.idle] for u in units),
        )
    header = ["employee_id", "nip", "name", "position", "entries", "approved_minutes",
              "pending_minutes", "rejected_minutes", "reached_target", "idle"]  # fmt: skip
    rows = [
        [p.employee_id, p.nip, p.name, p.position, p.entries, p.approved, p.pending,
         p.rejected, p.reached, p.idle]
        for p in unit_people(region, found.pk, stick)
    ]  # fmt: skip
    return csv_response(name, header, rows)


@require_safe
@require_perm("performance.view_anomalies")
def anomalies_csv(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    month, _errors = month_of(request, region)
    header = ["kind", "explanation", "people", "count", "entry_ids"]
    rows = [
        [f.kind.value, f.explanation, "; ".join(name for _pk, name in f.people), f.count,
         " ".join(str(e.id) for e in f.entries)]
        for f in anomalies_of(region, yardstick(region, month))
    ]  # fmt: skip
    return csv_response(f"performance-{region.slug}-{month.key}-anomalies.csv", header, rows)
