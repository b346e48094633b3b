"""Error codes of the review area, beside the module's own (errors.py): what only a
reviewer's action can run into."""

from enum import StrEnum


class ReviewError(StrEnum):
    # The entry was approved or rejected before this action reached it (by this reviewer
    # in another tab, or a double submit): reported, never approved twice.
    ALREADY_REVIEWED = "performance_already_reviewed"
    # An adjusted quantity must be smaller than the claimed one and more than zero.
    ADJUST_QUANTITY = "performance_adjust_quantity"
