"""Oversight of grants: red flags, citizens' suspicions, generated PDFs and open data,
as staff, auditor and public pages and API routes."""
