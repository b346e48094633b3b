"""Isolation declarations of the review area's pages and API routes (imported by
test_isolation.py)."""
