"""Isolation declarations of the allowance area's pages and API routes (imported by
test_isolation.py)."""
