"""PP6xx, the roles registry and the matrix: malformed or duplicate entries, unknown deputies.

Emitted by the loader (``loading.py``) while it reads `checks/roles.yml` and `checks/matrix.yml`.
"""

from __future__ import annotations

from pptoolkit.checking.rules.base import Check, E
from pptoolkit.model.diagnostics import Rule

INVALID_ROLE = Rule(
    "PP601",
    "invalid-role",
    E,
    """
An entry of the roles registry is malformed (missing `id`, `title` or `level`, or a level other than top, mid, front).

Why: owners are resolved through the registry.
""",
)
DUPLICATE_ROLE = Rule(
    "PP602",
    "duplicate-role",
    E,
    """
Two roles of the registry share an id.
""",
)
UNKNOWN_DEPUTY = Rule(
    "PP603",
    "unknown-deputy",
    E,
    """
A role's `deputy` is not a role of the registry.

Why: the deputy ensures continuity (practice S2); it must be a real role.
""",
)
INVALID_PRACTICE = Rule(
    "PP604",
    "invalid-practice",
    E,
    """
An entry of the matrix is malformed (id, type, levels, cases or title).
""",
)
DUPLICATE_PRACTICE = Rule(
    "PP605",
    "duplicate-practice",
    E,
    """
Two practices of the matrix share an id.
""",
)

RULES = (
    INVALID_ROLE,
    DUPLICATE_ROLE,
    UNKNOWN_DEPUTY,
    INVALID_PRACTICE,
    DUPLICATE_PRACTICE,
)
CHECKS: tuple[Check, ...] = ()  # emitted while loading or assessing: see the docstring
