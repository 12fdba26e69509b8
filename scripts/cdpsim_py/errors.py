"""The one exception the command line turns into a clear message and exit code 2."""


class InputError(Exception):
    """Bad input the user can fix: not a cdpsim file, a missing variable, an unwritable folder.

    The command line prints ``cdpsim plot: error: MESSAGE`` (or ``cdpsim report: ...``) and
    exits with code 2; the message names the file and says what is wrong, without a traceback.
    """
