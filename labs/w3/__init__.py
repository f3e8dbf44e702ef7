"""Workshop 3 labs: network roles, money trail, crypto trace, dark-web awareness, evidence package,
preservation and cooperation request, and the capstone case report."""
