"""Workshop 1 labs: the code behind each lab folder's notebook (build, hints, grading)."""
