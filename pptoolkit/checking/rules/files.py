"""PP1xx, reading files: encoding, size, YAML syntax and complexity, front matter, permissions, markup limits.

Every rule here but PP110 is emitted while the playbook is read (``documents.py``, ``loading.py``,
``publication.py``): a file that cannot be read yields no model for a check to look at. PP110 is
emitted by the publication for a content page or a Markdown evidence file (which is then left
out), and by the check ``markup_limits`` for an artifact's body (whose page shows it as text).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from pptoolkit.checking.rules.base import E, Found, check
from pptoolkit.model.diagnostics import Location, Rule

if TYPE_CHECKING:
    from pptoolkit.loading.playbook import Playbook
    from pptoolkit.model.settings import Limits

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
A file or folder of the playbook cannot be read (permission denied, or another error of the file system),
or is not one the checker reads: under `policies/`, a symbolic link to a folder (never followed) or a
name ending in `.md` that is no file (a symbolic link to nothing, a loop of them, a FIFO).

Why: what cannot be read cannot be checked: an unreadable folder under `policies/` would hide
its artifacts without a word. Give the checker (and the site build) permission to read it; move the
files of a linked folder under `policies/`, or link each file.
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

RULES = (
    NOT_UTF8,
    EMPTY_FILE,
    NO_FRONT_MATTER,
    YAML_SYNTAX,
    FILE_TOO_LARGE,
    YAML_TOO_COMPLEX,
    NOT_A_MAPPING,
    LINE_TOO_LONG,
    UNREADABLE,
    TOO_MUCH_MARKUP,
)


@check(TOO_MUCH_MARKUP)
def markup_limits(playbook: Playbook, today: date) -> Iterator[Found]:
    """An artifact's body over a markup limit: its page shows it as plain text (files are left out when read)."""
    from pptoolkit.checking.per_file import artifact_answers  # it imports this module

    for artifact in playbook.artifacts:
        for line, column, message in artifact_answers(playbook, artifact).get("markup", ()):
            yield Found(Location(artifact.path, line, column), message)


def markup_rows(body: str, body_line: int, limits: Limits) -> list[tuple[int, int, str]]:
    """Where a Markdown text goes over a markup limit, with the message: an artifact's ``body`` (from line
    ``body_line`` of its text), or a whole text to publish (from line 1: ``per_file.published_rows``)."""
    from pptoolkit.reading.documents import too_much_markup  # it imports its rules from this package

    found = too_much_markup(body, "", limits, body_line)
    return [] if found is None else [(found.line, found.column, found.message)]


CHECKS = (markup_limits,)
