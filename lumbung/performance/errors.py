"""Error codes of the performance module: each rule an entry or an import can break has its
own stable code, so that an API client (or the offline queue) can tell them apart."""

from enum import StrEnum


class PerformanceError(StrEnum):
    NOT_AN_EMPLOYEE = "performance_not_an_employee"
    NIP_INVALID = "performance_nip_invalid"
    NIP_TAKEN = "performance_nip_taken"
    SUPERVISOR_CYCLE = "performance_supervisor_cycle"
    FUTURE_DATE = "performance_future_date"
    TOO_OLD = "performance_backdated_too_far"
    NOT_WORKING_DAY = "performance_not_working_day"
    OVERLAP = "performance_overlap"
    EXCEEDS_SPAN = "performance_minutes_exceed_span"
    DAILY_CAP = "performance_daily_cap"
    ACTIVITY_NOT_ALLOWED = "performance_activity_not_allowed"
    MONTH_CLOSED = "performance_month_closed"
    OWN_ENTRY = "performance_own_entry"
    NOT_REVIEWER = "performance_not_reviewer"
    FORMULA_MISSING = "performance_formula_missing"
    IMPORT_FAILED = "performance_import_failed"
