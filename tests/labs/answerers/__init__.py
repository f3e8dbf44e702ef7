"""Answerers for the validity sweep, one module per lab (see tests/labs/validity.py).

Each module defines LAB (the lab id), NO_SKILL (name -> answerer) and CAREFUL (the careful
reader). They stay in the tests: a careful reader is a solver, never shipped to trainees.
"""
