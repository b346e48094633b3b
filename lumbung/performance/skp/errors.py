"""Error codes of the SKP area, beside the module's own (errors.py): each rule a plan or an
evaluation can break has its own stable code, for API clients and tests."""

from enum import StrEnum


class SkpError(StrEnum):
    # One plan per person per year; the year near the present (last, this or next).
    PLAN_EXISTS = "performance_skp_plan_exists"
    YEAR = "performance_skp_year"
    # Only the person writes, proposes and revises their own plan.
    NOT_OWNER = "performance_skp_not_owner"
    # Only the appraiser (the supervisor who was sent it, or the registry's supervisor now)
    # agrees, returns and evaluates; and never on their own plan.
    NOT_APPRAISER = "performance_skp_not_appraiser"
    OWN_PLAN = "performance_skp_own_plan"
    # The person has no supervisor in the registry: nobody can agree to the plan.
    NO_APPRAISER = "performance_skp_no_appraiser"
    # A proposed or agreed plan is not edited (an agreed one is revised first).
    LOCKED = "performance_skp_locked"
    NO_MAIN_RESULT = "performance_skp_no_main_result"
    ACTIVITY_NOT_USABLE = "performance_skp_activity_not_usable"
    # Evaluations: of an agreed plan, of a period that has begun, once per period; the year's
    # (last) evaluation makes the plan final.
    NOT_AGREED = "performance_skp_not_agreed"
    PERIOD_NOT_STARTED = "performance_skp_period_not_started"
    ALREADY_EVALUATED = "performance_skp_already_evaluated"
    FINAL = "performance_skp_final"
