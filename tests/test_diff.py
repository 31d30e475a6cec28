"""``pptoolkit diff``: what a change does to coverage between two commits of a small playbook in a tmp git repository.

The base commit covers D1 and S5, waives E1 and misses X1. The head commit
removes the logic model's evidence (S5 loses coverage), adds an evaluation
(E1 becomes covered), and gives the vision to a mid-level role (D1 changes
owner, with a level warning, and loses coverage: its owner is at the wrong level).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from editor_support import AS_OF, commit_all, git, git_env, invoke, new_repository
from playbook_support import SMALL_MATRIX_YML, TODAY, PlaybookBuilder, artifact_text, make_playbook

from pptoolkit.checking.checker import Result, check
from pptoolkit.reporting import diff as diff_module
from pptoolkit.reporting.diff import RevisionError, diff_revisions

LATEST_MINUTES = """
  - title: Board minutes
    date: 2026-01-15
    link: ../evidence/latest.md"""
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

Coverage: 2 of 4 → 1 of 4 practices covered; errors 1 → 3, warnings 0 → 2.

### Lost coverage (2)

| Practice | Before | After | Title |
|---|---|---|---|
| D1 | covered | no-owner | Adopt and maintain an organizational vision of the PP |
| S5 | covered | no-evidence | Develop a logical model of PP (goals, targets and strategies to deploy PP) and review it over time |

### Newly covered (1)

| Practice | Before | After | Title |
|---|---|---|---|
| E1 | waived | covered | Ensure feedback from PA and QI teams regarding their partnership experience |

### Artifacts added (1)

| Artifact | Title | Practices |
|---|---|---|
| `policies/evaluation.md` | Test evaluation | E1 |

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

### New problems (4)

| Where | Severity | Rule | Problem |
|---|---|---|---|
| `checks/matrix.yml:2` | error | PP402 practice-no-owner | practice D1 is done by top-level managers, but its artifacts are owned at the wrong level: 'pp-coordinator' (mid-level manager); give one an owner at the practice's level |
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
        "other_status_changed",
        "artifacts_added",
        "artifacts_retired",
        "artifacts_renamed",
        "evidence_changed",
        "lost_coverage_causes",
    ]
    assert report["base"]["commit"] == git(repo, "rev-parse", "base")
    assert report["head"]["revision"] == "HEAD"
    assert [(c["practice"], c["before"], c["after"]) for c in report["lost_coverage"]] == [
        ("D1", "covered", "no-owner"),
        ("S5", "covered", "no-evidence"),
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
    assert [d["code"] for d in report["new_diagnostics"]] == ["PP402", "PP403", "PP504", "PP303"]
    assert report["resolved_diagnostics"] == []


def test_the_reverse_change_covers_and_resolves(repo: Path) -> None:
    result = invoke("diff", "HEAD", "base", str(repo), *AS_OF, "--format", "json")
    assert result.exit_code == 0  # E1 goes from covered to waived: not covered, but not failing either
    report = json.loads(result.stdout)
    assert [c["practice"] for c in report["became_covered"]] == ["D1", "S5"]
    assert report["lost_coverage"] == []
    assert [(c["practice"], c["before"], c["after"]) for c in report["status_changed"]] == [
        ("D1", "no-owner", "covered"),
        ("S5", "no-evidence", "covered"),
        ("E1", "covered", "waived"),
    ]
    assert [d["code"] for d in report["resolved_diagnostics"]] == ["PP402", "PP403", "PP504", "PP303"]


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


def test_a_symbolic_link_leaving_the_playbook_in_a_revision_is_reported_not_followed(tmp_path: Path) -> None:
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


# Crafted revisions: a revision is content from a pull request ----------------------------------


def git_input(repo: Path, data: bytes, *args: str) -> str:
    """Run ``git ARGS`` in ``repo`` with ``data`` on its standard input; return its output."""
    done = subprocess.run(["git", *args], cwd=repo, env=git_env(), input=data, capture_output=True, check=True)
    return done.stdout.decode().strip()


def crafted_commit(repo: Path, policies_entries: list[str]) -> str:
    """A commit of HEAD's tree whose ``policies`` folder also holds ``policies_entries`` (``git mktree`` lines).

    ``git add`` could never make such a tree; a pull request can push one all the same.
    """
    head_tree = git(repo, "rev-parse", "HEAD^{tree}")
    root_lines = git(repo, "ls-tree", head_tree).splitlines()
    policies = next(line for line in root_lines if line.endswith("\tpolicies"))
    policies_lines = git(repo, "ls-tree", policies.split()[2]).splitlines()
    new_policies = git_input(repo, "\n".join([*policies_lines, *policies_entries, ""]).encode(), "mktree")
    root = [line for line in root_lines if not line.endswith("\tpolicies")] + [f"040000 tree {new_policies}\tpolicies"]
    tree = git_input(repo, "\n".join([*root, ""]).encode(), "mktree")
    return git(repo, "commit-tree", tree, "-p", "HEAD", "-m", "Crafted")


def blob(repo: Path, data: bytes) -> str:
    return git_input(repo, data, "hash-object", "-w", "--stdin")


def folder_of(repo: Path, name: str, data: bytes) -> str:
    """A tree holding one file ``name``."""
    return git_input(repo, f"100644 blob {blob(repo, data)}\t{name}\n".encode(), "mktree")


@pytest.fixture
def exported(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The folders ``diff`` checked; each is searched for symbolic links while it still exists."""
    folders: list[Path] = []
    links: list[Path] = []
    real_check = diff_module.check

    def checking(folder: Path, today: object) -> Result:
        folders.append(folder)
        links.extend(p for p in folder.rglob("*") if p.is_symlink())
        return real_check(folder, today)  # type: ignore[arg-type]

    monkeypatch.setattr(diff_module, "check", checking)
    yield folders
    assert links == [], "diff wrote a symbolic link"


@pytest.mark.parametrize("order", ["link first", "folder first"])
def test_a_link_and_a_folder_of_one_name_never_write_outside(
    repo: Path, tmp_path: Path, exported: list[Path], order: str
) -> None:
    """The attack of issue 10: `policies/x` a link to an outside folder, and `policies/x/evil.md` a file."""
    outside = tmp_path / "outside"
    outside.mkdir()
    link = f"120000 blob {blob(repo, str(outside).encode())}\tx"
    folder = f"040000 tree {folder_of(repo, 'evil.md', b'written through a link')}\tx"
    crafted = crafted_commit(repo, [link, folder] if order == "link first" else [folder, link])
    with pytest.raises(RevisionError, match="is both a file and a folder"):
        diff_revisions(repo, "base", crafted, TODAY)
    result = invoke("diff", "base", crafted, str(repo), *AS_OF)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pptoolkit: error: revision '{crafted}' (")
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("name", ["..", ".git", ".GIT"])
def test_a_tree_with_a_dot_dot_or_dot_git_folder_is_refused(repo: Path, tmp_path: Path, name: str) -> None:
    crafted = crafted_commit(repo, [f"040000 tree {folder_of(repo, 'escape.md', b'x')}\t{name}"])
    with pytest.raises(RevisionError, match="cannot be read safely"):
        diff_revisions(repo, "base", crafted, TODAY)
    assert not (repo / "escape.md").exists()


def test_links_in_a_revision_are_read_as_copies_or_reported_never_written(tmp_path: Path, exported: list[Path]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("outside the repository\n", encoding="utf-8")
    root = new_repository(tmp_path / "repo")
    playbook = make_playbook(root, SMALL_MATRIX_YML)
    playbook.artifact("vision.md")
    commit_all(root, "No links")
    playbook.artifact("vision.md", artifact_text(evidence=LATEST_MINUTES))
    os.symlink("minutes.md", root / "evidence" / "latest.md")  # inside the playbook: read as a copy
    os.symlink(outside / "secret.md", root / "policies" / "outside.md")  # outside: reported, not followed
    commit_all(root, "Links")
    diff = diff_revisions(root, "HEAD~1", "HEAD", TODAY)
    assert [(d.path, d.code) for d in diff.new_diagnostics] == [("policies/outside.md", "PP305")]
    assert "does not follow it" in diff.new_diagnostics[0].message
    checked_out = check(root, TODAY)  # the same verdicts as a check of the working tree
    assert [(d.path, d.code) for d in checked_out.diagnostics if d.path != "checks/matrix.yml"] == [
        ("policies/outside.md", "PP305")
    ]
    assert len(exported) == 2


def test_a_huge_file_is_never_read_and_reported_with_its_size(tmp_path: Path) -> None:
    root = new_repository(tmp_path / "repo")
    playbook = make_playbook(root, SMALL_MATRIX_YML)
    playbook.artifact("vision.md")
    commit_all(root, "Base")
    playbook.write_bytes("policies/huge.md", b"-" * (diff_module.MAX_FILE_BYTES + 1))
    commit_all(root, "A huge file")
    diff = diff_revisions(root, "HEAD~1", "HEAD", TODAY)
    checked_out = check(root, TODAY)
    assert [(d.code, d.message) for d in diff.new_diagnostics] == [
        (d.code, d.message) for d in checked_out.diagnostics if d.path == "policies/huge.md"
    ]
    assert f"{diff_module.MAX_FILE_BYTES + 1:,} bytes" in diff.new_diagnostics[0].message


def test_a_revision_larger_than_diff_reads_exits_2(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diff_module, "MAX_REVISION_BYTES", 1000)
    result = invoke("diff", "base", "HEAD", str(repo), *AS_OF)
    assert result.exit_code == 2
    assert "pptoolkit diff reads at most" in result.stderr


def test_a_shallow_clone_says_to_fetch_the_history(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    result = invoke("diff", "HEAD~1", "HEAD", str(clone), *AS_OF)
    assert result.exit_code == 2
    assert result.stderr == (
        "pptoolkit: error: 'HEAD~1' is not a commit of this repository; this clone is shallow (it holds only the "
        "last commits): fetch the history with 'git fetch --unshallow', or check out with 'fetch-depth: 0' "
        "(GitHub Actions' actions/checkout) or 'GIT_DEPTH: 0' (GitLab CI)\n"
    )


def diff_after(tmp_path: Path, edit: Callable[[PlaybookBuilder], None], *options: str) -> tuple[int, str]:
    """``pptoolkit diff base HEAD`` after ``edit`` of the base playbook: its exit code and output."""
    root = new_repository(tmp_path / "repo")
    playbook = base_playbook(root)
    commit_all(root, "Base")
    git(root, "tag", "base")
    edit(playbook)
    commit_all(root, "Change")
    result = invoke("diff", "base", "HEAD", str(root), *AS_OF, *options)
    return result.exit_code, result.stdout


def test_status_changed_holds_every_change_and_other_status_changed_the_rest(repo: Path) -> None:
    report = json.loads(invoke("diff", "base", "HEAD", str(repo), *AS_OF, "--format", "json").stdout)
    assert [c["practice"] for c in report["status_changed"]] == ["D1", "S5", "E1"]
    # D1 and S5 lost coverage, E1 became covered: none is listed again
    assert report["other_status_changed"] == []


def test_an_evidence_item_whose_link_changed_is_one_change(tmp_path: Path) -> None:
    def relink(playbook: PlaybookBuilder) -> None:
        playbook.write("evidence/minutes-2.md", "# Minutes (fictitious)\n")
        playbook.artifact("vision.md", artifact_text("vision").replace("evidence/minutes.md", "evidence/minutes-2.md"))

    code, output = diff_after(tmp_path, relink, "--format", "json")
    report = json.loads(output)
    assert code == 0
    assert (report["evidence_added"], report["evidence_removed"]) == ([], [])
    [changed] = report["evidence_changed"]
    assert (changed["before"]["link"], changed["after"]["link"]) == (
        "../evidence/minutes.md",
        "../evidence/minutes-2.md",
    )
    assert changed["after"]["artifact"] == "vision"


def test_retiring_the_vision_lists_it_as_retired_and_annotates_the_line_that_did_it(tmp_path: Path) -> None:
    def retire(playbook: PlaybookBuilder) -> None:
        playbook.artifact("vision.md", artifact_text("vision", status="retired"))

    code, output = diff_after(tmp_path, retire, "--format", "json")
    report = json.loads(output)
    assert code == 1
    assert [(a["artifact"], a["how"], a["practices"]) for a in report["artifacts_retired"]] == [
        ("vision", "retired", ["D1"])
    ]
    assert report["lost_coverage_causes"] == [
        {"practice": "D1", "before": "covered", "after": "missing", "path": "policies/vision.md", "line": 6}
    ]
    code, output = diff_after(tmp_path / "again", retire, "--format", "github")
    assert output.splitlines() == [
        "::error file=policies/vision.md,line=6,col=1,title=practice D1 lost coverage::"
        "this change costs practice D1 its coverage (covered → missing)",
        "::notice title=pptoolkit diff::1 practice lost coverage",
    ]
    assert code == 1


def test_a_deleted_artifact_is_retired_and_a_moved_one_renamed(tmp_path: Path) -> None:
    def move_and_delete(playbook: PlaybookBuilder) -> None:
        (playbook.root / "policies/vision.md").unlink()
        playbook.artifact(
            "planning/logic-model.md", artifact_text("logic-model").replace("../evidence", "../../evidence")
        )
        (playbook.root / "policies/logic-model.md").unlink()

    code, output = diff_after(tmp_path, move_and_delete, "--format", "json")
    report = json.loads(output)
    assert [(a["artifact"], a["how"]) for a in report["artifacts_retired"]] == [("vision", "deleted")]
    assert [(a["artifact"], a["before_path"], a["path"]) for a in report["artifacts_renamed"]] == [
        ("logic-model", "policies/logic-model.md", "policies/planning/logic-model.md")
    ]
    assert report["artifacts_added"] == []
    assert report["lost_coverage_causes"] == []  # a deleted file has no line to annotate: the check's matrix entry
    assert code == 1
    _, markdown = diff_after(tmp_path / "again", move_and_delete)
    assert "### Artifacts retired (1)\n\n| Artifact | Title | Practices | How |" in markdown
    assert "| `policies/vision.md` | Test vision | D1 | deleted |" in markdown


def test_the_github_format_also_writes_the_markdown_report_to_the_step_summary(repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = invoke(
        "diff", "base", "HEAD", str(repo), *AS_OF, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "::error file=policies/vision.md,line=5,col=1,title=practice D1 lost coverage::"
        "this change costs practice D1 its coverage (covered → no-owner)",
        "::error file=policies/logic-model.md,line=10,col=1,title=practice S5 lost coverage::"
        "this change costs practice S5 its coverage (covered → no-evidence)",
    ]
    markdown = invoke("diff", "base", "HEAD", str(repo), *AS_OF).stdout
    assert summary.read_text(encoding="utf-8") == markdown
