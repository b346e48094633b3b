"""Benchmarks (`make bench`): figures with a baseline from the same run, never asserted."""
