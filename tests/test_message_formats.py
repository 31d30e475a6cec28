"""Numbers and dates in diagnostics are written as the reader's language writes them, as the site's pages do:
``200 000`` and ``10 décembre 2026`` in French, ``200,000`` and ``December 10, 2026`` in English; and a French
message agrees with whatever kind of personal information it names."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playbook_support import EVIDENCE_FILE, TODAY, PlaybookBuilder, artifact_text, only

from pptoolkit.i18n import use_language

LONG_LINE = "x" * 200_000
WAIVER = """\
waivers:
  - practice: D1
    reason: The board adopts the vision in March
    approved_by: director-general
    expires: 2026-12-10
"""


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", r"la ligne \d+ a 200\s000 caractères; la limite est de 10\s000"),
        ("en", r"line \d+ has 200,000 characters; the limit is 10,000"),
    ],
)
def test_a_long_line_counts_its_characters_in_the_readers_format(
    small_playbook: PlaybookBuilder, language: str, expected: str
) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision", body=f"# Test vision\n\n{LONG_LINE}\n"))
    with use_language(language):
        message = only(small_playbook.check(), "PP108").message
    assert re.fullmatch(expected, message), message


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "prend fin le 10 décembre 2026"), ("en", "expires on December 10, 2026")],
)
def test_a_waiver_expiring_says_its_date_in_words(
    small_playbook: PlaybookBuilder, language: str, expected: str
) -> None:
    small_playbook.waivers(WAIVER)
    with use_language(language):
        message = only(small_playbook.check(date(2026, 11, 26)), "PP502").message
    assert expected in message
    assert "2026-12-10" not in message


def test_an_overdue_review_says_its_date_in_words_in_french(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision", review_by="2026-11-01"))
    with use_language("fr"):
        message = only(small_playbook.check(TODAY), "PP307").message
    assert "1er novembre 2026" in message or "1 novembre 2026" in message, message


def test_a_french_privacy_message_agrees_with_any_kind_of_information(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision"))
    minutes = small_playbook.root / EVIDENCE_FILE
    minutes.write_text(minutes.read_text(encoding="utf-8") + "Contact marie.tremblay@gmail.com\n", encoding="utf-8")
    with use_language("fr"):
        message = only(small_playbook.check(), "PP702").message
    assert message.startswith("il ne faut pas publier une adresse courriel"), message
    assert "publié " not in message
