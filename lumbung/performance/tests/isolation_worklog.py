"""Isolation declarations of the worklog area's pages and API routes (imported by
test_isolation.py)."""
