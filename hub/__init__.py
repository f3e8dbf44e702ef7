"""The classroom server: JupyterHub with nbgrader for several cohorts on one machine (`osintlab hub`)."""
