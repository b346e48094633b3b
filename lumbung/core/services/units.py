"""Units (OPD): create, edit, and import a whole tree from CSV with a row-level report."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import DomainError, ErrorCode, ValidationFailed
from ..models import Region, Unit, User
from ..models.units import UnitKind
from .audit import audit_record

CSV_COLUMNS = ("code", "name", "kind", "parent_code", "short_name", "email")


def _max_length(name: str) -> int:
    field = Unit._meta.get_field(name)
    return int(getattr(field, "max_length", 0) or 0)


def _value_errors(data: dict[str, Any]) -> dict[str, str]:
    """Over-long values and a malformed email: what the database or the mail server would
    otherwise reject later, half-way through a write."""
    checks: list[tuple[str, Any]] = [
        (name, MaxLengthValidator(_max_length(name))) for name in ("code", "name", "short_name")
    ]
    if (data.get("email") or "").strip():
        checks.append(("email", validate_email))
    errors: dict[str, str] = {}
    for name, check in checks:
        try:
            check((data.get(name) or "").strip())
        except ValidationError as error:
            errors[name] = error.messages[0]
    return errors


def _validate(region: Region, data: dict[str, Any], instance: Unit | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {k: [v] for k, v in _value_errors(data).items()}
    code = (data.get("code") or "").strip()
    if not code:
        errors["code"] = [_("This field is required.")]
    elif (
        "code" not in errors
        and Unit.objects.filter(region=region, code=code)
        .exclude(pk=getattr(instance, "pk", None))
        .exists()
    ):
        errors["code"] = [_("Another unit already has this code.")]
    if not (data.get("name") or "").strip():
        errors["name"] = [_("This field is required.")]
    if data.get("kind") not in UnitKind.values:
        errors["kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(UnitKind.values)}]
    return errors


def _check_parent(region: Region, unit: Unit | None, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.region_id != region.pk:
        raise ValidationFailed({"parent": [_("Unknown unit.")]})
    node: Unit | None = parent
    while node is not None:
        if unit is not None and node.pk == unit.pk:
            raise DomainError(
                ErrorCode.UNIT_CYCLE,
                _("A unit cannot sit under itself."),
                field_errors={"parent": [_("This would make a loop.")]},
                status=422,
            )
        node = node.parent


@transaction.atomic
def unit_create(*, region: Region, actor: User | None, data: dict[str, Any]) -> Unit:
    errors = _validate(region, data, None)
    if errors:
        raise ValidationFailed(errors)
    parent = data.get("parent")
    _check_parent(region, None, parent)
    unit = Unit.objects.create(
        region=region,
        code=data["code"].strip(),
        name=data["name"].strip(),
        short_name=(data.get("short_name") or "").strip(),
        kind=data["kind"],
        parent=parent,
        email=(data.get("email") or "").strip(),
    )
    audit_record(
        region=region,
        actor=actor,
        action="unit.create",
        obj=unit,
        changes={"code": unit.code, "name": unit.name, "parent": parent.code if parent else None},
    )
    return unit


@transaction.atomic
def unit_update(*, region: Region, actor: User, unit: Unit, data: dict[str, Any]) -> Unit:
    merged = {f: getattr(unit, f) for f in ("code", "name", "kind", "short_name", "email")}
    merged.update(
        {k: v.strip() if isinstance(v, str) else v for k, v in data.items() if k in merged}
    )
    errors = _validate(region, merged, unit)
    if errors:
        raise ValidationFailed(errors)
    parent = data.get("parent", unit.parent)
    _check_parent(region, unit, parent)
    changes: dict[str, Any] = {}
    for key, value in {**merged, "parent": parent}.items():
        if getattr(unit, key) != value:
            changes[key] = [str(getattr(unit, key) or ""), str(value or "")]
            setattr(unit, key, value)
    if changes:
        unit.save()
        audit_record(region=region, actor=actor, action="unit.update", obj=unit, changes=changes)
    return unit


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def units_import_csv(*, region: Region, actor: User | None, content: str) -> ImportReport:
    """Import units from CSV (columns: code,name,kind,parent_code[,short_name,email]).

    All or nothing: every row is checked first; if any row is wrong nothing is written and
    the report lists each wrong row and column. Existing codes are updated in place."""
    report = ImportReport()
    rows = _read_rows(content, report)
    if report.errors:
        return report
    _check_rows(region, rows, report)
    if report.errors:
        return report
    with transaction.atomic():
        _apply_rows(region, actor, rows, report)
    return report


def _read_rows(content: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    # newline="" lets the csv module see \r, \n and \r\n line ends itself, as it expects.
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff"), newline=""))
    try:
        missing = [c for c in CSV_COLUMNS[:4] if c not in (reader.fieldnames or [])]
        if missing:
            report.errors.append((1, ",".join(missing), _("Missing column(s).")))
            return []
        return [
            (line, {k: (v or "").strip() for k, v in row.items() if k})
            for line, row in enumerate(reader, start=2)
        ]
    except csv.Error as error:
        report.errors.append(
            (reader.line_num or 1, "", _("Not a readable CSV file: %(e)s") % {"e": error})
        )
        return []


def _check_rows(
    region: Region, rows: list[tuple[int, dict[str, str]]], report: ImportReport
) -> None:
    known = set(Unit.objects.filter(region=region).values_list("code", flat=True))
    seen: set[str] = set()
    for line, row in rows:
        if not row.get("code"):
            report.errors.append((line, "code", _("This field is required.")))
        elif row["code"] in seen:
            report.errors.append((line, "code", _("Code appears twice in the file.")))
        seen.add(row.get("code", ""))
        if not row.get("name"):
            report.errors.append((line, "name", _("This field is required.")))
        if row.get("kind") not in UnitKind.values:
            report.errors.append(
                (line, "kind", _("Unknown kind “%(kind)s”.") % {"kind": row.get("kind")})
            )
        for column, message in _value_errors(row).items():
            report.errors.append((line, column, message))
    parents = _parents_after_import(region, rows)
    for line, row in rows:
        parent = row.get("parent_code")
        if parent and parent not in seen and parent not in known:
            report.errors.append(
                (line, "parent_code", _("No unit has code “%(code)s”.") % {"code": parent})
            )
        if parent and _in_loop(row["code"], parents):
            report.errors.append((line, "parent_code", _("A unit cannot sit under itself.")))
    report.errors.sort(key=lambda e: e[0])


def _parents_after_import(
    region: Region, rows: list[tuple[int, dict[str, str]]]
) -> dict[str, str | None]:
    """{code: parent code} of the region's tree as it would be once the file is applied."""
    parents: dict[str, str | None] = dict(
        Unit.objects.filter(region=region).values_list("code", "parent__code")
    )
    parents.update({row["code"]: row.get("parent_code") or None for _l, row in rows if row["code"]})
    return parents


def _in_loop(code: str, parents: dict[str, str | None]) -> bool:
    """Whether walking up from `code` comes back to it (itself as parent included)."""
    seen: set[str] = set()
    node = parents.get(code)
    while node is not None and node not in seen:
        if node == code:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def _apply_rows(
    region: Region, actor: User | None, rows: list[tuple[int, dict[str, str]]], report: ImportReport
) -> None:
    units = {u.code: u for u in Unit.objects.filter(region=region)}
    for _line, row in rows:  # first pass: rows without parents resolved yet
        fields = {
            "name": row["name"],
            "kind": row["kind"],
            "short_name": row.get("short_name", ""),
            "email": row.get("email", ""),
        }
        unit = units.get(row["code"])
        if unit is None:
            units[row["code"]] = Unit.objects.create(region=region, code=row["code"], **fields)
            report.created += 1
        else:
            for key, value in fields.items():
                setattr(unit, key, value)
            unit.save()
            report.updated += 1
    for _line, row in rows:
        unit = units[row["code"]]
        parent = units.get(row["parent_code"]) if row.get("parent_code") else None
        _check_parent(region, unit, parent)
        if unit.parent_id != (parent.pk if parent else None):
            unit.parent = parent
            unit.save(update_fields=["parent"])
    audit_record(
        region=region,
        actor=actor,
        action="unit.import",
        changes={"created": report.created, "updated": report.updated},
    )
