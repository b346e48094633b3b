"""Isolation declarations of the dashboards area's pages and API routes (imported by
test_isolation.py)."""
