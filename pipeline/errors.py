"""Every error xunshi reports, each with a short stable code, naming the file and the reason."""
from __future__ import annotations


class XunshiError(Exception):
    """Base: `code` is stable for scripts, the message is for people."""

    code = "error"

    def __init__(self, path: str, message: str, code: str | None = None):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        if code:
            self.code = code


class InputError(XunshiError):
    """A file that cannot be read as a report: empty, binary, undecodable, unreadable."""

    code = "input"


class RuleError(XunshiError):
    """A rule file that does not validate: `rules/times.yaml: time.x: <reason>`."""

    code = "rule"

    def __init__(self, path: str, rule_id: str, message: str):
        super().__init__(path, f"{rule_id}: {message}" if rule_id else message)
        self.rule_id = rule_id
