"""Every error xunshi reports, each with a short stable code, naming the file and the reason."""
from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """Exit codes of the `xunshi` command, one per kind of cause, stable for scripts.

    A run that read at least one document exits OK even when other files were bad: those are
    reported on stderr and in `errors.jsonl`.
    """

    OK = 0
    FAILED = 1        # an unexpected failure (a bug): the message says where
    USAGE = 2         # a wrong option or argument (click's own code)
    INPUT = 3         # no input: a path that does not exist, nothing readable, nothing to read
    OUTPUT = 4        # the output cannot be written: not a folder, read-only, disk full, locked
    INSTALL = 5       # the installation is broken: a missing or unusable dependency
    RULES = 6         # a rule file does not validate
    INTERRUPTED = 130  # Ctrl-C or SIGTERM: what is done is kept, a rerun resumes


class XunshiError(Exception):
    """Base: `code` is stable for scripts, the message is for people; `exit` is the command's
    exit code when this error stops a run."""

    code = "error"
    exit = Exit.FAILED

    def __init__(self, path: str, message: str, code: str | None = None):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        if code:
            self.code = code


class InputError(XunshiError):
    """A file that cannot be read as a report: empty, binary, undecodable, unreadable."""

    code = "input"
    exit = Exit.INPUT


class RuleError(XunshiError):
    """A rule file that does not validate: `rules/times.yaml: time.x: <reason>`."""

    code = "rule"
    exit = Exit.RULES

    def __init__(self, path: str, rule_id: str, message: str):
        super().__init__(path, f"{rule_id}: {message}" if rule_id else message)
        self.rule_id = rule_id


class OutputError(XunshiError):
    """An output that cannot be written: the folder is a file, read-only, full or in use."""

    code = "output"
    exit = Exit.OUTPUT


class InstallError(XunshiError):
    """A dependency that is missing or broken: a fault of the installation, never of a report."""

    code = "install"
    exit = Exit.INSTALL
