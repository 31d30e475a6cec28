"""Every rule of the checker, with its stable code, name, severity and documentation.

Codes are a contract: CI configurations, waivers and other tools refer to them.
Families: PP1xx files and YAML, PP2xx artifact fields and structure, PP3xx
owners, practices and evidence, PP4xx coverage, PP5xx waivers, PP6xx roles
registry and matrix, PP7xx safety and privacy of the published playbook.
"""

from __future__ import annotations

from pptoolkit.diagnostics import Rule, Severity

E = Severity.ERROR
W = Severity.WARNING

NOT_UTF8 = Rule(
    "PP101",
    "not-utf8",
    E,
    """
A file of the playbook is not valid UTF-8 text, or its name is not UTF-8.

Why: the checker and the site read text as UTF-8; another encoding turns
accented French words into garbage. Save the file as UTF-8. A file whose name
is not UTF-8 is not checked: reports show each such byte as `\\xNN`; rename it.
""",
)
EMPTY_FILE = Rule(
    "PP102",
    "empty-file",
    E,
    """
An artifact file is empty.

Why: every Markdown file under `policies/` is an artifact and needs front matter.
""",
)
NO_FRONT_MATTER = Rule(
    "PP103",
    "no-front-matter",
    E,
    """
An artifact does not start with a `---` front matter block, or the block is not closed.

Why: the front matter holds the artifact's id, kind, owner, status and evidence.
Example: a file whose first line is `# Vision` instead of `---`.
""",
)
YAML_SYNTAX = Rule(
    "PP104",
    "yaml-syntax",
    E,
    """
The YAML is not valid (reported where the parser stops), has a duplicate key, or uses an unsupported tag.

Why: a value the parser cannot read is a value nobody can check.
""",
)
FILE_TOO_LARGE = Rule(
    "PP105",
    "file-too-large",
    E,
    """
A file is larger than the configured limit (`limits.max_file_bytes`, 1 MiB by default).

Why: governance artifacts are short; a huge file is a mistake or an attack and would slow every build.
""",
)
YAML_TOO_COMPLEX = Rule(
    "PP106",
    "yaml-too-complex",
    E,
    """
YAML nests deeper than `limits.max_yaml_depth` or expands (through aliases) to more than `limits.max_yaml_nodes` values.

Why: alias bombs ("billion laughs") and deep nesting exhaust memory and time.
""",
)
NOT_A_MAPPING = Rule(
    "PP107",
    "front-matter-not-mapping",
    E,
    """
The front matter (or a YAML data file) is not a mapping of keys to values.

Why: the checker expects `key: value` lines such as `id: vision`.
""",
)
LINE_TOO_LONG = Rule(
    "PP108",
    "line-too-long",
    E,
    """
A line is longer than `limits.max_line_length` characters (10,000 by default).

Why: such lines are generated or pasted blobs, not prose an editor can review.
""",
)
UNREADABLE = Rule(
    "PP109",
    "unreadable",
    E,
    """
A file or folder of the playbook cannot be read (permission denied, or another error of the file system).

Why: what cannot be read cannot be checked: an unreadable folder under `policies/` would hide
its artifacts without a word. Give the checker (and the site build) permission to read it.
""",
)

TOO_MUCH_MARKUP = Rule(
    "PP110",
    "too-much-markup",
    E,
    """
A Markdown text (an artifact's body, a content page, a Markdown evidence file) holds more than `limits.max_markup_openers` characters that open inline markup (`[` and `<`; 1,000 by default), or more than `limits.max_unclosed_tags` tag starts with no `>` after them on their line (`<a `, `<![CDATA[`; 3 by default).

Why: the site's Markdown renderer (Python-Markdown) takes time that grows with the square of such runs (`[[[[…`, `![![…`, `<a <a …`, `<![CDATA[…`): a single page of them stops a build for minutes. A content page or an evidence file over the limit is not published; an artifact's page shows its body as plain text. Split the text, or write the brackets as `&#91;` and `&lt;`.
""",
)

UNKNOWN_KIND = Rule(
    "PP201",
    "unknown-kind",
    E,
    """
The `kind:` of an artifact is not one of the documented kinds.

Why: the kind decides which fields and sections the artifact needs.
""",
)
MISSING_FIELD = Rule(
    "PP202",
    "missing-field",
    E,
    """
A required front matter field is absent (for example `owner`, or `approved_on` on an approved artifact).

Why: accountability needs an owner, a status and review dates.
""",
)
INVALID_VALUE = Rule(
    "PP203",
    "invalid-value",
    E,
    """
A front matter value has the wrong type or format (a date that is not ISO 8601, a status that does not exist, a list given as text).

Why: a value that does not mean what the field expects is silently wrong on the site.
""",
)
UNKNOWN_FIELD = Rule(
    "PP204",
    "unknown-field",
    E,
    """
A front matter key is not a field of the artifact's kind (often a typo such as `ownr`).

Why: a misspelt key is a value the checker would otherwise ignore.
""",
)
DUPLICATE_ID = Rule(
    "PP205",
    "duplicate-id",
    E,
    """
Two artifacts share the same `id`; both files are named.

Why: ids are used in links, waivers and pages; two artifacts cannot have one.
""",
)
MISSING_SECTION = Rule(
    "PP206",
    "missing-section",
    E,
    """
The body of an artifact lacks a section (a `##` heading) that its kind requires.

Why: readers expect, for instance, every compensation policy to say how expenses are reimbursed.
""",
)
TOO_MANY_EVIDENCE = Rule(
    "PP207",
    "too-many-evidence-items",
    E,
    """
An artifact lists more evidence items than `limits.max_evidence_items` (200 by default).

Why: evidence is a short list of proofs, not an archive.
""",
)

PLACEHOLDER_LEFT = Rule(
    "PP208",
    "placeholder-left",
    E,
    """
An approved artifact still holds a `TODO` placeholder, such as those `pptoolkit new` writes.

Why: a template that was approved unchanged would count as a practice done.
""",
)
UNKNOWN_PRACTICE = Rule(
    "PP301",
    "unknown-practice",
    E,
    """
An `implements:` entry names a practice id that is not in the matrix.

Why: a typo such as `D9` would leave the intended practice uncovered.
""",
)
UNKNOWN_OWNER = Rule(
    "PP302",
    "unknown-owner",
    E,
    """
The `owner:` of an artifact is not a role of the roles registry.

Why: an owner nobody can find is no owner; use a role id, never a person's name.
""",
)
OWNER_LEVEL_MISMATCH = Rule(
    "PP303",
    "owner-level-mismatch",
    W,
    """
An artifact's owner is at a management level that is not among the levels of a practice it implements.

Why: the study found each practice at given levels (a top-level practice owned by a front-line role is suspect).
""",
)
BROKEN_LINK = Rule(
    "PP304",
    "broken-evidence-link",
    E,
    """
An evidence `link` points to a file that does not exist, or is not a relative path or a well-formed https URL.

Why: evidence that cannot be opened proves nothing.
""",
)
LINK_OUTSIDE = Rule(
    "PP305",
    "link-outside-playbook",
    E,
    """
An evidence link leaves the playbook (through `..`, an absolute path, or a symbolic link pointing outside).

Why: the site publishes only the playbook; a link outside it is broken at best and leaks files at worst.
""",
)
FUTURE_EVIDENCE = Rule(
    "PP306",
    "future-evidence",
    E,
    """
An evidence item is dated after today.

Why: proof of something that has not happened yet is not proof.
""",
)
REVIEW_OVERDUE = Rule(
    "PP307",
    "review-overdue",
    W,
    """
An artifact that is not retired is past its `review_by` date.

Why: the study insists on reviewing PP arrangements over time.
""",
)
INSECURE_LINK = Rule(
    "PP308",
    "insecure-link",
    W,
    """
An evidence link uses `http://`.

Why: plain http can be altered in transit; prefer https.
""",
)
FORBIDDEN_SCHEME = Rule(
    "PP309",
    "forbidden-link-scheme",
    E,
    """
An evidence link uses a scheme other than https or http (`javascript:`, `file:`, `data:`, `mailto:` ...).

Why: such links run code, read local files or expose contacts when clicked on the site.
""",
)
UNPUBLISHABLE_FILE = Rule(
    "PP310",
    "unpublishable-file",
    E,
    """
A file linked from an artifact, or found in the content folder, cannot be published: its type is not on the list of published types, it is hidden (a dot-file or under a dot-folder such as `.git`), it would replace one of the theme's own files or a page the playbook generates (`content/gaps.mkd`, `content/README.md` → `index.html`), its content is not what its suffix says, it is a symbolic link to a file that breaks one of these rules or of another type, it is a hard link (a file with several names), or it is a PDF that carries an embedded file.

Why: the site publishes only what the checker can read and judge: text, Markdown, sanitized HTML and SVG, PDF, images and office documents. Any other type (`.shtml`, `.xht`, `.xml`, `.js` ...) can run script in a reader's browser, a hidden file holds secrets (`.git/config`), a file over the theme's JavaScript runs on every page, and a page over a generated one (the gaps, the matrix) would tell readers what the checker did not find. Convert the file to a published type, or link to where it is kept.
""",
)

PAGE_TEMPLATE = Rule(
    "PP311",
    "page-template",
    E,
    """
The front matter of a content page or a Markdown evidence file chooses its template (`template:`).

Why: every page of the site carries the Content Security Policy through the theme's `main.html`; a page that names another template (`base.html`) would have none. The site ignores the key: remove it (a playbook that needs another layout overrides the theme with `theme.custom_dir` in `mkdocs.yml`).
""",
)

PRACTICE_MISSING = Rule(
    "PP401",
    "practice-missing",
    E,
    """
No current artifact implements the practice and no valid waiver covers it.

Why: every practice of the matrix needs someone accountable and proof.
""",
)
PRACTICE_NO_OWNER = Rule(
    "PP402",
    "practice-no-owner",
    E,
    """
Artifacts implement the practice, but none has an owner that is a role of the registry.

Why: a practice without an accountable role is not managed.
""",
)
PRACTICE_NO_EVIDENCE = Rule(
    "PP403",
    "practice-no-evidence",
    E,
    """
The practice has an owner, but no approved artifact implementing it carries evidence that resolves and is not dated in the future.

Why: a policy on paper is not yet a practice; evidence shows it is done.
""",
)
PRACTICE_STALE = Rule(
    "PP404",
    "practice-stale",
    W,
    """
The practice is covered, but every artifact that proves it is past its `review_by` date.

Why: coverage that is not reviewed decays.
""",
)

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

UNSAFE_HTML = Rule(
    "PP701",
    "unsafe-html",
    E,
    """
Raw HTML or a `{: key=value }` attribute list in a published text holds something the site's allow-list removes (`<script>`, `<style>`, `<noscript>`, an event handler, a `style` attribute, a `javascript:` link, an image from another host).

Published texts are artifact bodies, content pages, and Markdown and HTML evidence files.

Why: the site must never run what an editor pasted, nor load anything from another host (a tracker learns who reads the page). The HTML is read as browsers read it, and the site publishes only what the allow-list keeps.

Example: `<img src="https://tracker.example/p.png">` is reported at its `src`; write `![chart](chart.png)` with the image kept in the playbook.
""",
)
PERSONAL_EMAIL = Rule(
    "PP702",
    "personal-email",
    E,
    """
An e-mail address that is not on the allow-list of organizational contacts (`privacy.allowed_contacts`), however it is written: with `&#64;` or another character reference, a fullwidth at sign, or `[at]` and `[dot]`.

Why: patient advisors' contact details must never be published.
""",
)
PERSONAL_PHONE = Rule(
    "PP703",
    "personal-phone",
    E,
    """
A phone number that is not on the allow-list of organizational contacts: North American (`514-555-0199`, `(514) 555-0199`, `514/555-0199`, `514.555.01.99`, `514-5550199`, ten digits in a row), international (`+33 1 23 45 67 89`, `0033 1 23 45 67 89`) or French (`01 23 45 67 89`), with any dash or space between its digits, in a text or in a published file name.
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
A `registry` artifact seems to list people (personal names) instead of saying where the list is held; also names in role titles, waiver reasons and practice titles, with or without an honorific (two capitalized words that are not the vocabulary of roles and organizations, as "Marie Tremblay").

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

ALL: tuple[Rule, ...] = tuple(value for value in list(globals().values()) if isinstance(value, Rule))
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL}


def rules_markdown() -> str:
    """The rule list as a Markdown table, for the README and the site (kept in sync by a test)."""
    lines = ["| Code | Name | Severity | What it checks |", "|---|---|---|---|"]
    for rule in sorted(ALL, key=lambda r: r.code):
        lines.append(f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {rule.summary} |")
    return "\n".join(lines) + "\n"
