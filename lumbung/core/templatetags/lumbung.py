"""Template helpers of the web UI: Rupiah amounts, <time> elements in the region's own
time zone, a path test for marking the current navigation entry, and the region's own
names for workflow steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from lokal.rupiah import format_rupiah, format_rupiah_short

from ..models import Region
from ..workflow_selectors import state_labels

register = template.Library()

# PUEBI writes "17 Agustus 2025, 14.30"; English keeps the colon. Month names come from
# Django's own translations, so both read naturally without a FORMAT_MODULE_PATH.
_FORMATS = {
    "id": {"date": "j F Y", "datetime": "j F Y, H.i", "short": "j M Y H.i"},
    "en": {"date": "j F Y", "datetime": "j F Y, H:i", "short": "j M Y H:i"},
}


def _amount(value: Any) -> int | float | Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def rupiah(value: Any, decimals: bool = False) -> str:
    """1500000 -> "Rp1.500.000" (lokal-id, PUEBI style); "" for an empty value."""
    amount = _amount(value)
    if amount is None:
        return "" if value in (None, "") else str(value)
    try:
        return format_rupiah(amount, decimals=bool(decimals))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def rupiah_short(value: Any) -> str:
    """1500000 -> "Rp1,5 jt", for chart labels and stat tiles."""
    amount = _amount(value)
    if amount is None:
        return "" if value in (None, "") else str(value)
    try:
        return format_rupiah_short(amount)
    except (TypeError, ValueError):
        return str(value)


@register.filter
def startswith(value: Any, prefix: Any) -> bool:
    return str(value).startswith(str(prefix))


def _formats() -> dict[str, str]:
    return _FORMATS.get((get_language() or "id")[:2], _FORMATS["id"])


def _region_zone(context: template.Context) -> tuple[ZoneInfo | None, str]:
    region = context.get("region")
    if isinstance(region, Region) and region.timezone:
        return ZoneInfo(region.timezone), region.timezone_label
    return None, ""


@register.simple_tag(takes_context=True)
def time_tag(context: template.Context, value: Any, style: str = "") -> SafeString | str:
    """<time datetime="…">…</time> for a date or a datetime. A datetime is shown in the
    current region's time zone with its label (WIB, WITA, WIT)."""
    if not isinstance(value, dt.date):
        return ""
    formats = _formats()
    if not isinstance(value, dt.datetime):
        return format_html(
            '<time datetime="{}">{}</time>',
            value.isoformat(),
            date_format(value, formats.get(style, formats["date"])),
        )
    zone, label = _region_zone(context)
    if timezone.is_aware(value):
        value = timezone.localtime(value, zone) if zone else timezone.localtime(value)
    shown = date_format(value, formats.get(style or "datetime", formats["datetime"]))
    if label and style != "date":
        shown = f"{shown} {label}"
    return format_html('<time datetime="{}">{}</time>', value.isoformat(timespec="seconds"), shown)


@register.simple_tag(takes_context=True)
def state_label(context: template.Context, case_or_workflow: Any, state: str = "") -> str:
    """The region's own name for a step, in the current language: `{% state_label case %}`
    for a case's current state, `{% state_label "grants.hibah" "tapd" %}` for any. One query
    per workflow and request, however many rows a page shows."""
    if isinstance(case_or_workflow, str):
        workflow_key = case_or_workflow
    else:
        workflow_key = getattr(case_or_workflow, "WORKFLOW_KEY", "")
        state = state or getattr(case_or_workflow, "state", "")
    region = context.get("region")
    if not isinstance(region, Region):
        region = getattr(case_or_workflow, "region", None)
    if not workflow_key or not isinstance(region, Region):
        return state
    return _labels_for(context, region, workflow_key).get(state, state)


def _labels_for(context: template.Context, region: Region, workflow_key: str) -> dict[str, str]:
    request = context.get("request")
    # Remembered on the request (or, without one, for this render): labels change only
    # through a region admin's write, which a page in flight need not see.
    memo: dict[tuple[int, str, str], dict[str, str]]
    if request is not None:
        memo = request.__dict__.setdefault("_lumbung_state_labels", {})
    else:
        render = context.render_context
        if "lumbung_state_labels" not in render:
            render["lumbung_state_labels"] = {}
        memo = render["lumbung_state_labels"]
    key = (region.pk, workflow_key, get_language() or "")
    if key not in memo:
        memo[key] = state_labels(region, workflow_key)
    return memo[key]
