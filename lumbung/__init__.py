"""Lumbung: one e-government codebase for many Indonesian regions."""
