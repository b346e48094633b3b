"""Error codes of the activity log beyond the module's own (errors.py): stable, for API
clients and tests."""

from enum import StrEnum


class WorklogError(StrEnum):
    # A curator may not accept or decline an activity they proposed themselves.
    OWN_PROPOSAL = "performance_own_proposal"
