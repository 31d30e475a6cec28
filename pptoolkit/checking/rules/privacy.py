"""PP702 to PP708, privacy of the published playbook: contacts, health cards, addresses, names, small cells.

Emitted by ``pptoolkit.checking.privacy``, which scans every published text once for all of them (and caches
what it finds per file); PP708 by the publication (``publication.py``) for a file it cannot read.
"""

from __future__ import annotations

from pptoolkit.checking.rules.base import Check, E, W
from pptoolkit.model.diagnostics import Rule

PERSONAL_EMAIL = Rule(
    "PP702",
    "personal-email",
    E,
    """
An e-mail address that is not on the allow-list of organizational contacts (`privacy.allowed_contacts`), however it is written: with `&#64;` or another character reference, a fullwidth at sign, `[at]` and `[dot]`, or spelled out (`jean at exemple dot ca`, `jean arobase exemple point ca`).

Why: patient advisors' contact details must never be published.
""",
)
PERSONAL_PHONE = Rule(
    "PP703",
    "personal-phone",
    E,
    """
A phone number that is not on the allow-list of organizational contacts: North American (`514-555-0199`, `(514) 555-0199`, `(514)-555-0199`, `514/555-0199`, `514,555,0199`, `514.555.01.99`, `514-5550199`, ten digits in a row), international (`+33 1 23 45 67 89`, `0033 1 23 45 67 89`) or French (`01 23 45 67 89`), with any dash or space between its digits, in the digits of any script (`٥١٤٥٥٥٠١٩٩`), in a text or in a published file name.
""",
)
HEALTH_CARD = Rule(
    "PP704",
    "health-card-number",
    E,
    """
A health insurance number (Quebec RAMQ `ABCD 1234 5678`, in lower case when its digits make a birth date, or another health-card pattern).

Why: a health card number identifies a patient.
""",
)
POSTAL_ADDRESS = Rule(
    "PP705",
    "personal-address",
    E,
    """
A street address or a Canadian postal code (`H2X 1Y4`, in any case).

Why: the address of a person identifies them; publish the organization's address only through allowed contacts.
""",
)
PERSON_NAME = Rule(
    "PP706",
    "person-name-in-registry",
    E,
    """
A `registry` artifact seems to list people (personal names) instead of saying where the list is held; also names in role titles, waiver reasons, not-applicable reasons, QI project teams and practice titles, with or without an honorific (two capitalized words that are not the vocabulary of roles and organizations, as "Marie Tremblay").

Why: the list of potential patient advisors is personal information; the playbook says where it is and who manages it, never who is on it.
""",
)
SMALL_CELL = Rule(
    "PP707",
    "small-cell",
    W,
    """
An indicator's value is below the small-cell threshold (`privacy.small_cell_threshold`, 5 by default); it is published as "< 5".

Why: small counts can identify patient advisors.
""",
)
NOT_SCANNED = Rule(
    "PP708",
    "not-scanned",
    W,
    """
A published file could not be read as text (an image, an office document, a PDF without text, encrypted or broken): the privacy rules did not look inside it.

Why: the checker cannot vouch for what it cannot read; a person must read the file before it is published.
""",
)

RULES = (
    PERSONAL_EMAIL,
    PERSONAL_PHONE,
    HEALTH_CARD,
    POSTAL_ADDRESS,
    PERSON_NAME,
    SMALL_CELL,
    NOT_SCANNED,
)
CHECKS: tuple[Check, ...] = ()  # emitted while loading or assessing: see the docstring
