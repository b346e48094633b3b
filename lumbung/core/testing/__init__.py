"""Test machinery other modules reuse (never imported by production code)."""
