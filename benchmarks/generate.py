"""Realistic playbooks of any size, for the benchmarks: seeded, reproducible, fictitious.

The sample playbook of this repository is the template: its 22 artifacts (every
kind), roles, matrix, content pages and evidence. A playbook of N artifacts holds
N copies of them, spread over teams, each with its own id, title, owner and
evidence file (as if every QI team filed its own), and a few broken files (about
1 in 200) of the kinds editors really make: a bad date, an unknown owner, a
missing section, a broken evidence link, unclosed front matter.

Run: python benchmarks/generate.py DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TEAM_ROLES = 40  # team leads per level (mid and front) of the generated teams

# Each turns a valid artifact into one the checker reports (a kind without required sections gets a TODO).
BROKEN: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("bad-date", lambda text: re.sub(r"^review_by: .*$", "review_by: 2027-13-01", text, count=1, flags=re.M)),
    ("unknown-owner", lambda text: re.sub(r"^owner: .*$", "owner: nobody-in-particular", text, count=1, flags=re.M)),
    (
        "missing-section-or-todo",
        lambda text: re.sub(r"^## ", "### ", text, flags=re.M) if "## " in text else text + "\nTODO",
    ),
    ("broken-link", lambda text: text.replace("../../evidence/teams/", "../../evidence/lost/", 1)),
    ("unclosed", lambda text: text.replace("\n---\n", "\n", 1)),
)


def _templates() -> list[tuple[Path, str]]:
    """The sample's artifacts (its French originals, not their English translations), as (path relative to
    policies/, text), in a stable order."""
    policies = ROOT / "policies"
    originals = [p for p in sorted(policies.rglob("*.md")) if not p.name.endswith(".en.md")]
    return [(p.relative_to(policies), p.read_text(encoding="utf-8")) for p in originals]


def _roles() -> str:
    """The sample's registry plus generated team roles (positions, never people)."""
    text = (ROOT / "checks/roles.yml").read_text(encoding="utf-8").rstrip() + "\n"
    for level in ("mid", "front"):
        for index in range(TEAM_ROLES):
            text += (
                f"\n  - id: {level}-team-lead-{index}\n"
                f"    title: Team lead ({level} level), fictitious QI team {index}\n"
                f"    level: {level}\n"
                f"    deputy: pp-coordinator\n"
            )
    return text


def _levels() -> dict[str, str]:
    """The level of each role of the sample's registry."""
    text = (ROOT / "checks/roles.yml").read_text(encoding="utf-8")
    return dict(re.findall(r"- id: (\S+)\n(?:    .*\n)*?    level: (\w+)", text))


def _copy(template: str, number: int, team: int, evidence: str) -> str:
    """One artifact from a template: a new id, title, evidence item, and sometimes an owner of the team's."""
    front, body = template.split("\n---\n", 1)
    front = re.sub(r"^id: (.*)$", rf"id: \1-{number}", front, count=1, flags=re.M)
    title = re.search(r"^title: (.*)$", front, flags=re.M)
    if title:  # written back as a double-quoted YAML string, whatever quoting the template used
        retitled = json.dumps(f"{yaml.safe_load(title.group(1))} (team {team})", ensure_ascii=False)
        front = f"{front[: title.start(1)]}{retitled}{front[title.end(1) :]}"
    front = front.replace(
        "\nevidence:\n",
        f"\nevidence:\n  - title: Team {team} record {number}\n    date: 2026-05-04\n    link: {evidence}\n",
        1,
    )
    return f"{front}\n---\n{body}"


def generate(folder: Path, count: int, seed: int = 2019) -> Path:
    """Write a playbook of ``count`` artifacts into ``folder`` (which must not exist) and return it."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    # One language: the generated artifacts have no translations (the sample's are left out, above).
    settings = re.sub(
        r"      (languages|site_names|site_descriptions):.*\n(        .*\n)*",
        "",
        (ROOT / "mkdocs.yml").read_text("utf-8"),
    )
    (folder / "mkdocs.yml").write_text(settings, encoding="utf-8")
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copytree(ROOT / "evidence", folder / "evidence")
    (folder / "checks").mkdir()
    for name in ("matrix.yml", "waivers.yml"):
        shutil.copy(ROOT / "checks" / name, folder / "checks" / name)
    (folder / "checks/roles.yml").write_text(_roles(), encoding="utf-8")
    (folder / "evidence/teams").mkdir()
    templates, levels = _templates(), _levels()
    for number in range(count):
        relative, template = templates[number % len(templates)]
        team = rng.randrange(count // 10 + 1)
        evidence = f"evidence/teams/team-{team}-record-{number}.md"
        (folder / evidence).write_text(
            f"# Team {team}, record {number}\n\nFictitious minutes of a fictitious QI team meeting.\n",
            encoding="utf-8",
        )
        text = _copy(template, number, team, f"../../{evidence}")
        owner = re.search(r"^owner: (\S+)", text, flags=re.M)
        level = levels.get(owner.group(1), "") if owner else ""
        if level in ("mid", "front") and rng.random() < 0.5:
            team_lead = f"{level}-team-lead-{team % TEAM_ROLES}"
            text = re.sub(r"^owner: .*$", f"owner: {team_lead}", text, count=1, flags=re.M)
        if rng.random() < 0.005:
            _, breaking = BROKEN[rng.randrange(len(BROKEN))]
            text = breaking(text)
        target = folder / "policies" / relative.parent / f"{relative.stem}-{number}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="where to write the playbook (must not exist)")
    parser.add_argument("count", type=int, help="how many artifacts")
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args(argv)
    if args.folder.exists():
        print(f"{args.folder} already exists; give a new folder", file=sys.stderr)
        return 2
    generate(args.folder, args.count, args.seed)
    print(f"wrote a playbook of {args.count} artifacts to {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
