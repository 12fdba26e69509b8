"""The errors cdpsim raises for input the user can fix.

Each carries the message the command line prints after ``cdpsim: error: ``, unchanged, so that a
notebook and a terminal say the same thing. The compiled module raises these classes (it imports
this file first), so nothing here may import the compiled module.
"""

from __future__ import annotations

import re

# "FILE:LINE:COLUMN: KEY: problem (allowed: ...)", "--set: KEY: problem", "FILE: problem".
_LOCATED = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$", re.S)
_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w.\[\]-]*): (?P<rest>.*)$", re.S)
_ALLOWED = re.compile(r"\(allowed: (?P<allowed>.*)\)\s*$", re.S)


class InputError(ValueError):
    """Input the user can fix: a scenario, a checkpoint, an output path or a request.

    ``str(error)`` is the message of the command line (without ``cdpsim: error: ``).
    """


class ScenarioError(InputError):
    """A scenario that does not load or validate, or a change a branch or intervention may not make.

    Attributes, ``None`` when the message does not have them:

    - ``file``: the file (or ``--set``, ``intervene()``, ``scenario``) where the problem is;
    - ``line``, ``column``: its position in the file (1-based);
    - ``key``: the key at fault (``levers.animation``, ``interventions[0].start``);
    - ``allowed``: what is allowed, as the message says it;
    - ``problem``: the message after the key.

        try:
            cdpsim.Scenario.load("s.toml", set={"levers.animation": 2})
        except cdpsim.ScenarioError as e:
            print(e.file, e.key, e.allowed)  # --set levers.animation a number in [0, 1]
    """

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message
        self.file = self.line = self.column = self.key = self.allowed = None
        rest = message
        m = _LOCATED.match(message)
        if m:
            self.file, self.line, self.column = m["file"], int(m["line"]), int(m["column"])
            rest = m["rest"]
        else:
            head, sep, tail = message.partition(": ")
            if sep:
                self.file, rest = head, tail
        k = _KEY.match(rest)
        if k and " " not in k["key"]:
            self.key, rest = k["key"], k["rest"]
        self.problem = rest
        a = _ALLOWED.search(rest)
        if a:
            self.allowed = a["allowed"]


class CheckpointError(InputError):
    """A checkpoint that cannot be used (missing, damaged, of another format or version)."""


class OutputError(InputError):
    """An output path that cannot be written: it exists (pass ``force=True``), or is a folder."""


class RequestError(InputError):
    """A bad ensemble, comparison or sensitivity request (design, metric, hypothesis...)."""
