"""Bulk import of bansos recipient lists (CSV, XLSX): readers, row checks, the staging
table and the run of one job. The service entry points are in services/imports.py."""
