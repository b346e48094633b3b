"""Error codes of the complaints module (the API problem's `code`). Bad fields are plain
validation errors with field-level messages; these name the rules of the domain."""

from enum import StrEnum


class ComplaintError(StrEnum):
    FILING_LIMITED = "complaint_filing_limited"
    NOT_REPORTER = "complaint_not_reporter"
    NOT_SUPPORTABLE = "complaint_not_supportable"
    ALREADY_SUPPORTED = "complaint_already_supported"
    FINISHED = "complaint_finished"
