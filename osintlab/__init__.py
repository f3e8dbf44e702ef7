"""The `osintlab` command line and the few helpers every package shares."""

__version__ = "0.1.0"
