"""Isolation declarations of the registry area's pages and API routes (imported by
test_isolation.py)."""
