"""``pptoolkit diff``: what a change does to coverage between two commits of a small playbook in a tmp git repository.

The base commit covers D1 and S5, waives E1 and misses X1. The head commit
removes the logic model's evidence (S5 loses coverage), adds an evaluation
(E1 becomes covered), and gives the vision to a mid-level role (D1 changes
owner, with a level warning).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from editor_support import AS_OF, commit_all, git, invoke, new_repository
from playbook_support import SMALL_MATRIX_YML, TODAY, PlaybookBuilder, artifact_text, make_playbook

from pptoolkit.diff import RevisionError, diff_revisions

WAIVER = """\
waivers:
  - practice: E1
    reason: The survey starts in January
    approved_by: director-general
    expires: 2027-03-31
"""


def base_playbook(root: Path) -> PlaybookBuilder:
    playbook = make_playbook(root, SMALL_MATRIX_YML)
    playbook.artifact("vision.md")
    playbook.artifact("logic-model.md", kind="logic-model")
    playbook.waivers(WAIVER)
    return playbook


def change(playbook: PlaybookBuilder) -> None:
    playbook.artifact("logic-model.md", artifact_text("logic-model", evidence="[]"))
    playbook.artifact("evaluation.md", kind="evaluation")
    playbook.artifact("vision.md", artifact_text("vision", owner="pp-coordinator"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two commits: tag ``base``, then the change at ``HEAD``."""
    root = new_repository(tmp_path / "repo")
    playbook = base_playbook(root)
    commit_all(root, "Base")
    git(root, "tag", "base")
    change(playbook)
    commit_all(root, "Change")
    return root


EXPECTED_MARKDOWN = """\
<!-- pptoolkit diff -->
## Patient partnership: what this change does

`base` (BASE) → `HEAD` (HEAD), checked as of 2026-11-26.

Coverage: 2 of 4 → 2 of 4 practices covered; errors 1 → 2, warnings 0 → 2.

### Lost coverage (1)

| Practice | Before | After | Title |
|---|---|---|---|
| S5 | covered | no-evidence | Develop a logical model of PP (goals, targets and strategies to deploy PP) and review it over time |

### Newly covered (1)

| Practice | Before | After | Title |
|---|---|---|---|
| E1 | waived | covered | Ensure feedback from PA and QI teams regarding their partnership experience |

### Owners changed (2)

| Practice | Before | After | Title |
|---|---|---|---|
| D1 | director-general | pp-coordinator | Adopt and maintain an organizational vision of the PP |
| E1 | — | head-nurse | Ensure feedback from PA and QI teams regarding their partnership experience |

### Evidence added (1)

| Artifact | Evidence | Date | Link | Practices |
|---|---|---|---|---|
| `policies/evaluation.md` | Board minutes | 2026-01-15 | ../evidence/minutes.md | E1 |

### Evidence removed (1)

| Artifact | Evidence | Date | Link | Practices |
|---|---|---|---|---|
| `policies/logic-model.md` | Board minutes | 2026-01-15 | ../evidence/minutes.md | S5 |

### New problems (3)

| Where | Severity | Rule | Problem |
|---|---|---|---|
| `checks/matrix.yml:7` | error | PP403 practice-no-evidence | practice S5 has no approved artifact with evidence that can be opened and is not dated in the future |
| `checks/waivers.yml:2` | warning | PP504 waiver-unneeded | practice E1 is covered without this waiver; remove it |
| `policies/vision.md:5` | warning | PP303 owner-level-mismatch | practice D1 is done by top-level managers, but the owner 'pp-coordinator' is at the mid level |
"""  # noqa: E501


def test_markdown_for_a_pull_request_comment(repo: Path) -> None:
    result = invoke("diff", "base", "HEAD", str(repo), *AS_OF)
    assert result.exit_code == 1  # S5 lost coverage
    text = result.stdout
    text = text.replace(git(repo, "rev-parse", "--short=12", "base"), "BASE")
    text = text.replace(git(repo, "rev-parse", "--short=12", "HEAD"), "HEAD")
    assert text == EXPECTED_MARKDOWN


def test_json_has_one_list_per_kind_of_change(repo: Path) -> None:
    result = invoke("diff", "base", "HEAD", str(repo), *AS_OF, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert list(report) == [
        "base",
        "head",
        "today",
        "became_covered",
        "lost_coverage",
        "status_changed",
        "owner_changed",
        "evidence_added",
        "evidence_removed",
        "new_diagnostics",
        "resolved_diagnostics",
    ]
    assert report["base"]["commit"] == git(repo, "rev-parse", "base")
    assert report["head"]["revision"] == "HEAD"
    assert [(c["practice"], c["before"], c["after"]) for c in report["lost_coverage"]] == [
        ("S5", "covered", "no-evidence")
    ]
    assert [(c["practice"], c["before"], c["after"]) for c in report["became_covered"]] == [("E1", "waived", "covered")]
    assert report["owner_changed"][0] == {
        "practice": "D1",
        "title": "Adopt and maintain an organizational vision of the PP",
        "before": ["director-general"],
        "after": ["pp-coordinator"],
    }
    assert [(e["artifact"], e["practices"]) for e in report["evidence_added"]] == [("evaluation", ["E1"])]
    assert [(e["artifact"], e["practices"]) for e in report["evidence_removed"]] == [("logic-model", ["S5"])]
    assert [d["code"] for d in report["new_diagnostics"]] == ["PP403", "PP504", "PP303"]
    assert report["resolved_diagnostics"] == []


def test_the_reverse_change_covers_and_resolves(repo: Path) -> None:
    result = invoke("diff", "HEAD", "base", str(repo), *AS_OF, "--format", "json")
    assert result.exit_code == 0  # E1 goes from covered to waived: not covered, but not failing either
    report = json.loads(result.stdout)
    assert [c["practice"] for c in report["became_covered"]] == ["S5"]
    assert report["lost_coverage"] == []
    assert [(c["practice"], c["before"], c["after"]) for c in report["status_changed"]] == [
        ("S5", "no-evidence", "covered"),
        ("E1", "covered", "waived"),
    ]
    assert [d["code"] for d in report["resolved_diagnostics"]] == ["PP403", "PP504", "PP303"]


def test_no_change_exits_0(repo: Path) -> None:
    result = invoke("diff", "HEAD", "HEAD", str(repo), *AS_OF)
    assert result.exit_code == 0
    assert result.stdout.endswith("\n\nNo change to coverage, owners, evidence or problems.\n")


def test_an_improvement_exits_0(tmp_path: Path) -> None:
    root = new_repository(tmp_path / "repo")
    playbook = make_playbook(root, SMALL_MATRIX_YML)
    commit_all(root, "Empty playbook")
    playbook.artifact("vision.md")
    commit_all(root, "The vision")
    diff = diff_revisions(root, "HEAD~1", today=TODAY)
    assert [(c.practice, c.before, c.after) for c in diff.became_covered] == [("D1", "missing", "covered")]
    assert diff.lost_coverage == []
    assert [d.code for d in diff.resolved_diagnostics] == ["PP401"]
    assert diff.exit_code == 0


def test_the_working_tree_is_neither_read_nor_touched(repo: Path) -> None:
    (repo / "policies" / "evaluation.md").unlink()  # uncommitted: HEAD still has it
    (repo / "notes.txt").write_text("mine\n", encoding="utf-8")
    status = git(repo, "status", "--porcelain")
    stash = git(repo, "stash", "list")
    diff = diff_revisions(repo, "base", "HEAD", TODAY)
    assert [c.practice for c in diff.became_covered] == ["E1"]
    assert git(repo, "status", "--porcelain") == status
    assert git(repo, "stash", "list") == stash
    assert (repo / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert not (repo / "policies" / "evaluation.md").exists()


def test_a_playbook_in_a_subfolder(tmp_path: Path) -> None:
    root = new_repository(tmp_path / "repo")
    (root / "README.md").write_text("Not the playbook\n", encoding="utf-8")
    playbook = base_playbook(root / "governance" / "playbook")
    commit_all(root, "Base")
    change(playbook)
    commit_all(root, "Change")
    result = invoke("diff", "HEAD~1", "HEAD", str(playbook.root), *AS_OF, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [e["path"] for e in report["evidence_added"]] == ["policies/evaluation.md"]


def test_symbolic_links_in_a_revision_are_kept_as_links(tmp_path: Path) -> None:
    root = new_repository(tmp_path / "repo")
    playbook = make_playbook(root, SMALL_MATRIX_YML)
    playbook.artifact("vision.md")
    os.symlink("/etc/hostname", root / "policies" / "outside.md")
    commit_all(root, "A link")
    diff = diff_revisions(root, "HEAD", "HEAD", TODAY)
    assert diff.new_diagnostics == ()
    assert diff.head.summary["errors"] >= 1  # the link that leaves the playbook is reported, not followed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-branch"], "pptoolkit: error: 'no-such-branch' is not a commit of this repository\n"),
        (["HEAD~5"], "pptoolkit: error: 'HEAD~5' is not a commit of this repository\n"),
    ],
)
def test_bad_revisions_exit_2(repo: Path, args: list[str], message: str) -> None:
    result = invoke("diff", args[0], *(args[1:] or ["HEAD"]), str(repo), *AS_OF)
    assert result.exit_code == 2
    assert result.stderr == message


def test_an_option_is_never_passed_to_git_as_a_revision(repo: Path) -> None:
    with pytest.raises(RevisionError, match="'--output=x' is not a revision"):
        diff_revisions(repo, "--output=x", "HEAD", TODAY)


def test_a_folder_outside_git_exits_2(tmp_path: Path) -> None:
    result = invoke("diff", "HEAD", "HEAD", str(tmp_path), *AS_OF)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pptoolkit: error: '{tmp_path}' is not in a git repository")


def test_a_revision_without_a_playbook_exits_2(tmp_path: Path) -> None:
    root = new_repository(tmp_path / "repo")
    (root / "README.md").write_text("Before the playbook\n", encoding="utf-8")
    commit_all(root, "Nothing yet")
    base_playbook(root)
    commit_all(root, "The playbook")
    result = invoke("diff", "HEAD~1", "HEAD", str(root), *AS_OF)
    assert result.exit_code == 2
    assert result.stderr.startswith("pptoolkit: error: revision 'HEAD~1' (")
    assert "is not a playbook" in result.stderr
    with pytest.raises(RevisionError):
        diff_revisions(root, "HEAD~1", "HEAD", TODAY)
