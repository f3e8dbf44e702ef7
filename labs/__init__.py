"""Graded labs: one folder per lab (lab.yml, nbgrader source notebook, trainer README).

A notebook needs one call: `lab = labs.open_lab("w1-01-passive-active")`.
"""

from labs.runtime import open_lab
from osintlab.errors import install_notebook_handler

install_notebook_handler()  # in a notebook: a user error is one sentence, not a traceback

__all__ = ["open_lab"]
