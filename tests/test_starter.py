"""``pptoolkit init``: a new playbook loads, counts nothing as done, builds, and never replaces a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from editor_support import AS_OF, invoke
from playbook_support import REPO_ROOT, TODAY

from pptoolkit.authoring.init import NotEmpty, init_playbook, requirement, starter_files, workflow_text
from pptoolkit.checking.checker import check
from pptoolkit.model.matrix import study_matrix_text
from pptoolkit.model.settings import _TolerantLoader
from pptoolkit.publishing.build import BuildOptions, build_site
from pptoolkit.publishing.pages import allowed_tags

FILES = [
    "mkdocs.yml",
    "checks/matrix.yml",
    "checks/roles.yml",
    "checks/waivers.yml",
    "content/tags.md",
    "content/about.md",
    "policies/.gitkeep",
    ".github/workflows/playbook.yml",
    ".pre-commit-config.yaml",
    "requirements.txt",
    ".gitignore",
    "README.md",
]


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    result = invoke("init", str(root))
    assert result.exit_code == 0, result.stderr
    return root


def test_init_writes_every_starter_file(fresh: Path) -> None:
    written = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    assert written == sorted(FILES)
    assert (fresh / "checks/matrix.yml").read_text(encoding="utf-8") == study_matrix_text()
    assert yaml.safe_load((fresh / "checks/roles.yml").read_text(encoding="utf-8")) == {"roles": []}
    assert "#   - id: director-quality" in (fresh / "checks/roles.yml").read_text(encoding="utf-8")
    assert yaml.safe_load((fresh / "checks/waivers.yml").read_text(encoding="utf-8")) == {"waivers": []}


def test_init_reports_what_it_wrote(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "new"))
    assert result.stdout.splitlines()[: len(FILES)] == [f"Wrote {f}" for f in FILES]
    assert result.stdout.splitlines()[-1].startswith("Next: add your roles to checks/roles.yml")


def test_a_fresh_playbook_has_every_practice_missing(fresh: Path) -> None:
    result = invoke("check", str(fresh), "--format", "json", *AS_OF)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [p["status"] for p in report["practices"]] == ["missing"] * 25
    assert {d["code"] for d in report["diagnostics"]} == {"PP401"}
    assert report["summary"]["missing"] == 25
    assert report["summary"]["errors"] == 25


def test_mkdocs_yml_has_the_site_settings(fresh: Path) -> None:
    config = yaml.load((fresh / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader)
    assert config["theme"]["name"] == "material"
    assert config["theme"]["font"] is False
    assert config["extra"]["generator"] is False
    assert config["use_directory_urls"] is False
    plugins = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert plugins == ["search", "offline", "tags", "pptoolkit"]
    assert config["plugins"][2]["tags"]["tags_allowed"] == allowed_tags()
    repository = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader)
    # The same pages in the same order (the last entry is the organization's own page); the repository's
    # sample is French first, so its titles are French and the starter's English.
    assert _pages(config["nav"][:-1]) == _pages(repository["nav"][:-1])
    assert config["nav"][-1] == {"About this playbook": "about.md"}


@pytest.mark.slow  # builds a site
def test_a_fresh_playbook_builds(fresh: Path) -> None:
    site = build_site(BuildOptions(root=fresh, strict=False))
    assert (site / "index.html").is_file()
    assert (site / "gaps.html").is_file()
    assert (site / "about.html").is_file()
    assert (site / "reviews.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.slow  # builds a site
def test_the_build_command_works_on_a_fresh_playbook(fresh: Path) -> None:
    result = invoke("build", str(fresh), "--no-strict")
    assert result.exit_code == 0, result.stderr
    assert (fresh / "site" / "matrix.html").is_file()


def test_ci_and_pre_commit_files(fresh: Path) -> None:
    workflow = yaml.safe_load((fresh / ".github/workflows/playbook.yml").read_text(encoding="utf-8"))
    assert set(workflow["jobs"]) == {"check", "build", "publish"}
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert runs.count("python -m pip install -r requirements.txt") == 2  # the check and the build
    assert "pptoolkit check --format github" in runs
    pre_commit = yaml.safe_load((fresh / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = pre_commit["repos"][0]["hooks"]
    assert pre_commit["repos"][0]["repo"] == "local"  # the installed pptoolkit, no repository or tag to pin
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "pptoolkit-check",
        "pptoolkit check",
        "system",
        False,
    )
    requirements = (fresh / "requirements.txt").read_text(encoding="utf-8")
    assert [line for line in requirements.splitlines() if not line.startswith("#")] == [requirement()]
    readme = (fresh / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv" in readme
    assert "python -m pip install -r requirements.txt" in readme
    assert "@@" not in "".join(starter_files().values())


def test_no_starter_file_names_a_repository_or_tag_that_does_not_exist() -> None:
    text = "".join(starter_files().values())
    assert "github.com/pptoolkit" not in text
    assert "rev:" not in text


def test_the_requirement_is_where_pptoolkit_was_installed_from(monkeypatch: pytest.MonkeyPatch) -> None:
    import pptoolkit.authoring.init as init

    class Installed:
        def __init__(self, recorded: str | None) -> None:
            self.recorded = recorded

        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return self.recorded

    origins = {
        None: f"pptoolkit=={init.__version__}",
        '{"url": "file:///home/me/pptoolkit", "dir_info": {"editable": true}}': f"pptoolkit=={init.__version__}",
        '{"url": "https://git.example.org/tools/pptoolkit.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}': (
            "pptoolkit @ git+https://git.example.org/tools/pptoolkit.git@abc123"
        ),
        '{"url": "https://files.example.org/pptoolkit-0.1.0-py3-none-any.whl", "archive_info": {}}': (
            "pptoolkit @ https://files.example.org/pptoolkit-0.1.0-py3-none-any.whl"
        ),
    }
    for recorded, expected in origins.items():
        monkeypatch.setattr(init, "distribution", lambda _name, recorded=recorded: Installed(recorded))
        assert init.requirement() == expected


def test_the_repository_workflow_is_the_starter_one_installing_this_checkout() -> None:
    text = (REPO_ROOT / ".github/workflows/playbook.yml").read_text(encoding="utf-8")
    assert text == workflow_text("python -m pip install .")
    jobs = yaml.safe_load(text)["jobs"]
    uses = [step.get("uses", "") for job in jobs.values() for step in job["steps"]]
    assert "github/codeql-action/upload-sarif@v3" in uses
    assert "actions/upload-pages-artifact@v3" in uses
    assert "actions/deploy-pages@v4" in uses


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"pptoolkit: error: '{tmp_path}' is not empty; "
        "use --force to add the missing starter files (none is replaced)\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_force_adds_only_the_missing_files(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Ours\n", encoding="utf-8")
    result = invoke("init", str(tmp_path), "--force")
    assert result.exit_code == 0
    assert "Kept mkdocs.yml (it exists)" in result.stdout.splitlines()
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Ours\n"
    assert (tmp_path / "checks" / "matrix.yml").is_file()
    assert check(tmp_path, TODAY).counts()["missing"] == 25


def test_a_git_repository_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    created = init_playbook(tmp_path)
    assert created.kept == ()
    assert len(created.written) == len(FILES)


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("", encoding="utf-8")
    assert invoke("init", str(file)).exit_code == 2
    with pytest.raises(NotEmpty):
        init_playbook(tmp_path)


def _pages(nav: object) -> object:
    """A navigation's pages and sections, in order, without their titles."""
    if isinstance(nav, list):
        return [_pages(item) for item in nav]
    if isinstance(nav, dict):
        return [_pages(value) for value in nav.values()]
    return nav
