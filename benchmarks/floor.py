"""The floor of the checker's speed target: read the files the checker reads, parse their front matter, nothing else.

Every Markdown file under ROOT/policies, ROOT/evidence and ROOT/content is read;
the text between a first line ``---`` and the next line ``---`` is parsed with
libyaml's C loader. Files without front matter are read only.

Run: python benchmarks/floor.py ROOT
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import yaml

FOLDERS = ("policies", "evidence", "content")
FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


def front_matter(text: str) -> str | None:
    """The front matter of a Markdown text, or None when it has none (or it is not closed)."""
    first = FENCE.match(text)
    if first is None:
        return None
    closing = FENCE.search(text, first.end())
    return text[first.end() : closing.start()] if closing else None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python benchmarks/floor.py ROOT", file=sys.stderr)
        return 2
    root = Path(argv[0])
    read = parsed = 0
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.md")):
            read += 1
            front = front_matter(path.read_text(encoding="utf-8"))
            if front is None:
                continue
            with contextlib.suppress(yaml.YAMLError, ValueError):  # ValueError: say, a date of month 13
                yaml.load(front, Loader=yaml.CSafeLoader)
            parsed += 1
    print(f"read {read} files, parsed {parsed} front matters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
