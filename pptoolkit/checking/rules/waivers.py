"""PP5xx, waivers: expired, expiring, malformed or unneeded entries of `checks/waivers.yml`.

PP503 is emitted by the loader (``loading.py``), the others by ``pptoolkit.checking.coverage``.
"""

from __future__ import annotations

from pptoolkit.checking.rules.base import Check, E, W
from pptoolkit.model.diagnostics import Rule

WAIVER_EXPIRED = Rule(
    "PP501",
    "waiver-expired",
    E,
    """
A waiver in `checks/waivers.yml` has expired; it no longer counts.

Why: a waiver is a dated promise to close a gap, not a permanent exemption.
""",
)
WAIVER_EXPIRING = Rule(
    "PP502",
    "waiver-expiring",
    W,
    """
A waiver expires within 30 days.

Why: the owner has a month to cover the practice or renew the waiver.
""",
)
INVALID_WAIVER = Rule(
    "PP503",
    "invalid-waiver",
    E,
    """
A waiver entry is malformed: a missing field, an unknown practice, an approver that is not a role, a bad date.

Why: a waiver nobody can trace is not a decision.
""",
)
WAIVER_UNNEEDED = Rule(
    "PP504",
    "waiver-unneeded",
    W,
    """
A waiver names a practice that is covered without it.

Why: remove the waiver so it does not hide a future gap.
""",
)

RULES = (
    WAIVER_EXPIRED,
    WAIVER_EXPIRING,
    INVALID_WAIVER,
    WAIVER_UNNEEDED,
)
CHECKS: tuple[Check, ...] = ()  # emitted while loading or assessing: see the docstring
