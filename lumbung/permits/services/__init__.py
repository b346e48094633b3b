"""Every write of the permits module. Services take `region` and `actor` keyword-only,
run in one transaction and write their audit event in it."""
