"""The one exception type for mistakes a user can make (bad input, missing files)."""


class UserError(Exception):
    """A problem the user can fix. The CLI prints the message as one sentence and exits 2.

    The message must name the file, field or value at fault and say what to do.
    """

    exit_code = 2
