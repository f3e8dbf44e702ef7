"""Graded labs: one folder per lab (lab.yml, nbgrader source notebook, trainer README).

A notebook needs one call: `lab = labs.open_lab("w1-01-passive-active")`.
"""

from labs.runtime import open_lab

__all__ = ["open_lab"]
