"""Bansos (social aid) pages and API: the recipient registry, bulk imports with their
progress, programmes with their eligibility rules, cycles from computing the list to
closing it, and the public aggregates and "am I on the list?" lookup."""
