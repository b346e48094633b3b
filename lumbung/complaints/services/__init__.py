"""Every write of the complaints module. Each function takes the region and the actor
first (keyword-only), runs in one transaction and records its audit event in it; mail and
in-app notices go out on commit."""

from .admin import (
    categories_adopt_starter,
    category_save,
    client_authenticate,
    client_issue,
    client_revoke,
    template_save,
)
from .common import MAX_PHOTOS, tracking_url
from .filing import Filed, ReportInput, report_file, report_support
from .reporter import is_reporter, report_confirm, report_dispute, reports_auto_close
from .staff import (
    report_answer,
    report_assign,
    report_mark_duplicate,
    report_route,
    report_transition,
)

__all__ = [
    "MAX_PHOTOS",
    "Filed",
    "ReportInput",
    "categories_adopt_starter",
    "category_save",
    "client_authenticate",
    "client_issue",
    "client_revoke",
    "is_reporter",
    "report_answer",
    "report_assign",
    "report_confirm",
    "report_dispute",
    "report_file",
    "report_mark_duplicate",
    "report_route",
    "report_support",
    "report_transition",
    "reports_auto_close",
    "template_save",
    "tracking_url",
]
