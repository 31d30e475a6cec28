"""The import boundary: only the publishing layer knows MkDocs.

Checking, loading and reporting are plain Python over the playbook's files; MkDocs,
ProperDocs and the Material theme are imported by the publishing modules alone, so
that `pptoolkit check` never pays for them and the site can move to another engine.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from playbook_support import REPO_ROOT

PACKAGE = REPO_ROOT / "pptoolkit"
PUBLISHING = "pptoolkit.publishing"
"""The package that may import a site engine."""
COMMAND_LINE = "pptoolkit.cli"
"""The command line may too, only inside its build and serve commands."""
ENGINES = ("mkdocs", "material", "properdocs")
"""The site engines and the theme: the publishing layer's own dependencies."""


def module_name(path: Path) -> str:
    """The dotted name of a module of the package (``pptoolkit/cli.py`` → ``pptoolkit.cli``)."""
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, name: str | None = None) -> list[tuple[int, str]]:
    """Every module that ``path`` (the module ``name``) imports, anywhere in it, with the line of the import."""
    name = name or module_name(path)
    package = name.rsplit(".", 1)[0] if path.name != "__init__.py" else name
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            found.extend((node.lineno, f"{base}.{alias.name}" if not node.module else base) for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def may_import_an_engine(module: str) -> bool:
    """True for the modules of the publishing package and for the command line."""
    return module in (PUBLISHING, COMMAND_LINE) or module.startswith(f"{PUBLISHING}.")


def is_engine(module: str) -> bool:
    return module.split(".")[0] in ENGINES


def test_only_the_publishing_modules_import_a_site_engine() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 20
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{line}: imports {imported}"
        for path in modules
        if not may_import_an_engine(module_name(path))
        for line, imported in imported_modules(path)
        if is_engine(imported)
    ]
    assert offenders == [], "only the publishing layer may import MkDocs, ProperDocs or Material"


def test_only_the_command_line_imports_the_publishing_layer() -> None:
    """Data flows one way: reading, loading, checking, authoring and reporting never import the site's pages.

    What a lower stage needs of the site (the generated pages' paths, the tags, the field labels, the
    policy of a published HTML file) is declared in ``model`` or ``i18n``, and the pages import it from there.
    """
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{line}: imports {imported}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if not may_import_an_engine(module_name(path))
        for line, imported in imported_modules(path)
        if imported == PUBLISHING or imported.startswith(f"{PUBLISHING}.")
    ]
    assert offenders == []


def test_the_boundary_scan_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The scan finds an engine imported at the top, inside a function, relatively named or by a string."""
    sample = PACKAGE / "publishing" / "plugin.py"
    assert any(imported == "mkdocs.plugins" for _, imported in imported_modules(sample))
    cli = [imported for _, imported in imported_modules(PACKAGE / "cli.py")]
    assert "mkdocs.commands.serve" in cli and "pptoolkit.publishing.build" in cli
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import importlib\nfrom . import checker\n"
        "def f():\n    import material.plugins\n    return importlib.import_module('mkdocs.config')\n",
        encoding="utf-8",
    )
    found = [imported for _, imported in imported_modules(probe, "pptoolkit.probe")]
    assert found == ["importlib", "pptoolkit.checker", "material.plugins", "mkdocs.config"]


def test_the_publishing_modules_are_still_there() -> None:
    """The boundary names real modules: moving the plugin out of ``PUBLISHING`` fails here."""
    assert (REPO_ROOT / PUBLISHING.replace(".", "/") / "plugin.py").is_file()
    assert (REPO_ROOT / (COMMAND_LINE.replace(".", "/") + ".py")).is_file()


def modules_loaded_by(*arguments: str) -> list[str]:
    """The top-level names of the modules loaded by ``pptoolkit ARGUMENTS`` on the sample playbook, in a new Python."""
    script = (
        "import sys\n"
        "from pptoolkit.cli import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print('loaded:', ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script, *arguments[:1], str(REPO_ROOT), *arguments[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode in (0, 1), ran.stderr
    loaded = [line for line in ran.stderr.splitlines() if line.startswith("loaded: ")]
    assert loaded, ran.stderr
    return loaded[-1].removeprefix("loaded: ").split()


def test_checking_never_loads_a_site_engine() -> None:
    """`pptoolkit check` and `pptoolkit matrix` on the sample playbook run without MkDocs, ProperDocs or Material."""
    for command in ("check", "matrix"):
        engines = {name.split(".")[0] for name in modules_loaded_by(command, "--no-cache")}
        assert not engines & {"mkdocs", "material", "properdocs"}, command


def test_a_check_reported_as_json_imports_no_xml() -> None:
    """The JUnit report's XML library is imported by that report alone: a check does not wait for it."""
    loaded = modules_loaded_by("check", "--no-cache", "--format", "json")
    assert [name for name in loaded if name.startswith("xml")] == []


def test_a_check_of_pages_whose_raw_html_is_comment_lines_imports_no_markdown_parser() -> None:
    """The sample's only raw HTML is its tags page's ``<!-- material/tags -->``: read without markdown-it."""
    loaded = modules_loaded_by("check", "--no-cache", "--format", "json")
    assert [name for name in loaded if name.startswith(("markdown_it", "mdit_py_plugins"))] == []
