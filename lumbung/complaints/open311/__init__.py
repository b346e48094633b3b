"""Open311 GeoReport v2 for the complaints module, at /open311/v2/ (see docs/open311.md).
`jurisdiction_id` names the region; a service is a category, a service request a report."""
