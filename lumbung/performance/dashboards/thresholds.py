"""The anomaly rules' thresholds, one place to read and tune them (docs/performance/
dashboards.md explains each). A finding is a reason to look, never a verdict."""

from __future__ import annotations

from decimal import Decimal

# Copied entries: a note this short ("rapat", "surat") is naturally repeated.
NOTE_MIN_LENGTH = 20
# The same activity, quantity, start, end and note by one person on this many days or more.
COPY_MIN_DAYS = 5
# The same note by this many people or more on one day.
SHARED_NOTE_MIN_PEOPLE = 4
# At the daily cap on this share of the month's elapsed working days, and at least this often.
CAP_DAYS_SHARE = Decimal("0.8")
CAP_MIN_DAYS = 5
# A quantity above this percentile of the region's entries for the activity in the month,
# judged only where the activity has this many entries that month.
QUANTITY_PERCENTILE = Decimal("0.99")
QUANTITY_MIN_SAMPLE = 100
# A reviewer whose median time from an entry's creation to its review is under this many
# seconds, over at least this many reviews in the month, approving at least this share.
FAST_REVIEW_SECONDS = 30
FAST_MIN_REVIEWS = 50
FAST_APPROVAL_SHARE = Decimal("0.98")
# Entries created in the last days before the month's close, for dates at least this many
# days before that window opened, by one person, this many or more.
BULK_WINDOW_DAYS = 3
BULK_LAG_DAYS = 7
BULK_MIN_ENTRIES = 10
# Links to entries shown per finding, and findings listed per rule.
SAMPLE_ENTRIES = 20
MAX_FINDINGS = 100
