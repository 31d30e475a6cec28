"""The one diagnostic type that every check yields and every reporter formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from pptoolkit.i18n import _


class Severity(str, Enum):
    """How much a problem matters: errors fail the check, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem located in a file of the playbook (path relative to its root, 1-based)."""

    path: str
    line: int
    column: int
    code: str = field(compare=True)
    name: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=True)  # two problems at one place (two missing fields) are two diagnostics
    practice: str | None = field(default=None, compare=False)
    end_line: int | None = field(default=None, compare=False)
    end_column: int | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        """True when this diagnostic fails the check."""
        return self.severity is Severity.ERROR


@dataclass(frozen=True)
class Location:
    """Where a problem is: a playbook-relative path and a 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Rule:
    """A kind of problem: stable code, kebab-case name, default severity and user documentation.

    ``doc`` is rendered in the README and on the site: first line what it checks,
    then why it matters.
    """

    code: str
    name: str
    severity: Severity
    doc: str

    def at(self, where: Location, message: str, practice: str | None = None) -> Diagnostic:
        """Return a diagnostic of this rule at ``where``."""
        return Diagnostic(
            path=where.path,
            line=where.line,
            column=where.column,
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=message,
            practice=practice,
        )

    @property
    def documentation(self) -> str:
        """The rule's documentation in the language in use (the catalog holds each rule's ``doc``)."""
        return _(self.doc).strip()

    @property
    def summary(self) -> str:
        """The first sentence of the rule's documentation, in the language in use."""
        return self.documentation.split("\n\n")[0].replace("\n", " ")
