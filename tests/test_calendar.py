"""``pptoolkit calendar``: reviews and waiver expiries as RFC 5545 text, read back with the ``icalendar`` library."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
import pytest
from editor_support import AS_OF, invoke
from playbook_support import REPO_ROOT, TODAY, PlaybookBuilder, artifact_text

from pptoolkit.checking.checker import check
from pptoolkit.i18n import use_language
from pptoolkit.publishing.languages import in_language
from pptoolkit.reporting.calendar import escape_text, fold, review_calendar, uid

WAIVERS = """\
waivers:
  - practice: E1
    reason: The survey starts in January; the committee agreed, after a vote
    approved_by: director-general
    expires: 2027-03-31
  - practice: X1
    reason: Expired
    approved_by: director-general
    expires: 2026-01-31
"""


@pytest.fixture
def reviews(small_playbook: PlaybookBuilder) -> PlaybookBuilder:
    """Two current artifacts, one retired, two waivers (one expired)."""
    small_playbook.artifact("vision.md")
    small_playbook.artifact("logic-model.md", artifact_text("logic-model", review_by="2027-01-31"))
    small_playbook.artifact("old.md", artifact_text("vision", id="old-vision", status="retired"))
    small_playbook.waivers(WAIVERS)
    return small_playbook


def events(text: str) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    return list(calendar.walk("VEVENT"))


def test_one_event_per_current_artifact_and_per_waiver(reviews: PlaybookBuilder) -> None:
    found = events(review_calendar(reviews.check()))
    assert [(str(e["UID"]), e.decoded("DTSTART"), str(e["SUMMARY"])) for e in found] == [
        ("logic-model-review@pptoolkit", date(2027, 1, 31), "Review: Test logic model"),
        ("vision-review@pptoolkit", date(2027, 6, 30), "Review: Test vision"),
        ("E1-waiver@pptoolkit", date(2027, 3, 31), "Waiver expires: E1"),
        ("X1-waiver@pptoolkit", date(2026, 1, 31), "Waiver expires: X1"),
    ]
    for event in found:
        assert event.decoded("DTEND") == event.decoded("DTSTART").fromordinal(event.decoded("DTSTART").toordinal() + 1)
        assert event["DTSTART"].params["VALUE"] == "DATE"


def test_descriptions_name_the_owner_and_link_the_page(reviews: PlaybookBuilder) -> None:
    (vision,) = (e for e in events(review_calendar(reviews.check())) if e["UID"] == "vision-review@pptoolkit")
    assert str(vision["DESCRIPTION"]) == (
        "Owner: Director General (director-general, top-level manager)\n"
        "Status: approved\n"
        "Practices: D1\n"
        "Page: artifacts/vision.html\n"
        "File: policies/vision.md"
    )
    assert "URL" not in vision
    (waiver,) = (e for e in events(review_calendar(reviews.check())) if e["UID"] == "E1-waiver@pptoolkit")
    assert str(waiver["DESCRIPTION"]) == (
        "Practice: E1: Ensure feedback from PA and QI teams regarding their partnership experience\n"
        "Reason: The survey starts in January; the committee agreed, after a vote\n"
        "Approved by: Director General (director-general)\n"
        "File: checks/waivers.yml"
    )


def test_a_site_url_gives_each_review_its_address(reviews: PlaybookBuilder) -> None:
    found = events(review_calendar(reviews.check(), site_url="https://playbook.example.org/pp/"))
    assert str(found[1]["URL"]) == "https://playbook.example.org/pp/artifacts/vision.html"


def test_the_text_follows_rfc_5545(reviews: PlaybookBuilder) -> None:
    text = review_calendar(reviews.check())
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pptoolkit//Review calendar 0.1.0//EN\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "DTSTAMP:20261126T000000Z" in lines
    assert any(line.startswith(" ") for line in lines)  # long descriptions are folded
    assert "Reason: The survey starts in January\\; the committee agreed\\, after a vote" in text.replace("\r\n ", "")


def test_escaping_and_folding() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    folded = fold("SUMMARY:" + "é" * 60)
    parts = folded.split("\r\n")
    assert [len(p.encode("utf-8")) for p in parts] == [74, 55]  # a two-octet character is never split
    assert parts[1].startswith(" ")
    assert "".join(p.removeprefix(" ") for p in parts) == "SUMMARY:" + "é" * 60
    assert fold("short") == "short"


def test_the_sample_playbook_calendar() -> None:
    result = check(REPO_ROOT, TODAY)
    found = events(review_calendar(result))
    current = [a for a in result.playbook.artifacts if a.model.status != "retired"]
    assert len(found) == len(current) + len(result.playbook.waivers)
    assert {str(e["UID"]) for e in found} == {f"{a.model.id}-review@pptoolkit" for a in current}
    by_uid = {str(e["UID"]): e.decoded("DTSTART") for e in found}
    assert all(by_uid[f"{a.model.id}-review@pptoolkit"] == a.model.review_by for a in current)


def test_the_english_calendar_of_a_french_playbook_reads_as_the_english_site() -> None:
    """`pptoolkit calendar --lang en`: the translations' titles, the roles' English titles and the English site name."""
    english = invoke("calendar", str(REPO_ROOT), "--lang", "en", *AS_OF)
    french = invoke("calendar", str(REPO_ROOT), *AS_OF)
    assert english.exit_code == french.exit_code == 0
    calendar = icalendar.Calendar.from_ical(english.stdout)
    assert (
        str(calendar["X-WR-CALNAME"]) == "Reviews · Patient partnership · CISSS de la Vallée-des-Érables (fictitious)"
    )
    summaries = {str(e["SUMMARY"]) for e in events(english.stdout)}
    assert "Review: Our vision of patient partnership" in summaries
    assert not any("Notre vision" in summary for summary in summaries)
    result = check(REPO_ROOT, TODAY)
    titled = [role.model for role in result.playbook.roles.values() if role.model.titles.get("en")]
    descriptions = "\n".join(str(e["DESCRIPTION"]) for e in events(english.stdout))
    assert titled and any(role.titles["en"] in descriptions for role in titled)
    assert not any(f"{role.title} (" in descriptions for role in titled if role.title != role.titles["en"])
    assert any("Notre vision du partenariat avec les usagers" in str(e["SUMMARY"]) for e in events(french.stdout))


def test_duplicate_ids_keep_every_event(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("a.md")
    small_playbook.artifact("b.md")
    uids = [str(e["UID"]) for e in events(review_calendar(small_playbook.check()))]
    assert uids == ["vision-review@pptoolkit", "vision-review-2@pptoolkit"]


def test_the_command_prints_or_writes_the_file(reviews: PlaybookBuilder, tmp_path: Path) -> None:
    printed = invoke("calendar", str(reviews.root), *AS_OF)
    assert printed.exit_code == 0
    assert printed.stdout_bytes == review_calendar(reviews.check()).encode("utf-8")
    output = tmp_path / "out" / "reviews.ics"
    written = invoke("calendar", str(reviews.root), "--output", str(output), *AS_OF)
    assert written.exit_code == 0
    assert output.read_bytes() == printed.stdout_bytes
    again = invoke("calendar", str(reviews.root), "--output", str(output), "--today", "2027-01-01")
    assert again.exit_code == 1
    assert again.stderr == f"pptoolkit: error: '{output}' exists; use --force to replace it\n"
    assert output.read_bytes() == printed.stdout_bytes
    forced = invoke("calendar", str(reviews.root), "--output", str(output), "--force", "--today", "2027-01-01")
    assert forced.exit_code == 0
    assert b"DTSTAMP:20270101T000000Z" in output.read_bytes()
    assert sorted(p.name for p in output.parent.iterdir()) == ["reviews.ics"]


def test_a_broken_playbook_still_gets_its_calendar(reviews: PlaybookBuilder) -> None:
    reviews.artifact("broken.md", "---\nid: [unclosed\n---\n")
    result = invoke("calendar", str(reviews.root), *AS_OF)
    assert result.exit_code == 0
    assert len(events(result.stdout)) == 4


def test_no_playbook_exits_2(tmp_path: Path) -> None:
    result = invoke("calendar", str(tmp_path / "nowhere"), *AS_OF)
    assert result.exit_code == 2


INJECTED_WAIVER = """\
waivers:
  - practice: "E1\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nUID:injected\\r\\nDTSTART;VALUE=DATE:20270101\\r\\nSUMMARY:X"
    reason: "Reason\\r\\nATTACH:https://tracker.example/x\\u0007;,\\\\"
    approved_by: director-general
    expires: 2027-03-31
"""


def test_a_waiver_cannot_add_an_event_or_a_property(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md")
    small_playbook.waivers(INJECTED_WAIVER)
    text = review_calendar(small_playbook.check())
    found = events(text)
    assert len(found) == 2  # the vision's review and the waiver: nothing else
    waiver = found[1]
    assert "\r" not in str(waiver["UID"]) and "\n" not in str(waiver["UID"])
    assert str(waiver["UID"]).endswith("-waiver@pptoolkit")
    assert "ATTACH" not in waiver
    assert str(waiver["SUMMARY"]).startswith("Waiver expires: E1\nEND:VEVENT\nBEGIN:VEVENT\nUID:injected")
    assert "Reason: Reason\nATTACH:https://tracker.example/x;,\\\n" in str(waiver["DESCRIPTION"])  # no BEL
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 2
    assert not any(line.startswith(("UID:injected", "ATTACH")) for line in lines)


def test_the_last_date_there_is_gets_its_event(small_playbook: PlaybookBuilder) -> None:
    small_playbook.artifact("vision.md", artifact_text("vision", review_by="9999-12-31"))
    result = invoke("calendar", str(small_playbook.root), *AS_OF)
    assert result.exit_code == 0, result.stderr
    (event,) = events(result.stdout)
    assert event.decoded("DTSTART") == date(9999, 12, 31)
    assert "DTEND" not in event and str(event["DURATION"].to_ical(), "ascii") == "P1D"


def test_uids_are_plain_names_or_hashes() -> None:
    assert uid("vision-2026", "review") == "vision-2026-review@pptoolkit"
    forged = uid("E1\r\nBEGIN:VEVENT", "waiver")
    assert forged == uid("E1\r\nBEGIN:VEVENT", "waiver")  # stable: a newer file updates the event
    assert forged.isascii() and forged.isprintable() and forged.endswith("-waiver@pptoolkit")


def test_each_language_has_its_own_uids_and_keeps_them_from_build_to_build() -> None:
    """A reader subscribed to the French and the English calendars sees each event of each, not one of the two."""
    result = check(REPO_ROOT, TODAY)

    def uids(language: str) -> list[str]:
        with use_language(language):
            return [str(e["UID"]) for e in events(review_calendar(in_language(result, language)))]

    french, english = uids("fr"), uids("en")
    assert "vision-patient-partnership-review@pptoolkit" in french  # the default language's UIDs are unchanged
    assert "vision-patient-partnership-review-en@pptoolkit" in english
    assert len(french) == len(english) and set(french).isdisjoint(english)
    assert uids("en") == english
