"""translations.js, the admin page's own script: Decap's ``NAME.<default>.md`` is the playbook's ``NAME.md``.

The browser tests go through the local proxy (listing, opening, saving); these run the script in
Node.js against a recording backend, for what only a Git host does: the editorial workflow's pull
requests (their changed files, read back by path) and an original already named ``NAME.fr.md``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from typing import Any

import pytest

HARNESS = r"""
const calls = [];
const stored = new Set(["policies/vision.md", "policies/vision.en.md", "policies/charter.fr.md"]);
const recording = {
  entriesByFolder: async () => [...stored, "evidence/minutes.md"].map((path) => ({ file: { path }, data: "" })),
  getEntry: async (path) => {
    calls.push(["getEntry", path]);
    if (!stored.has(path)) throw new Error(`no ${path}`);
    return { file: { path }, data: "" };
  },
  persistEntry: async (entry) => { calls.push(["persistEntry", entry.dataFiles.map((f) => f.path)]); },
  unpublishedEntry: async () => ({
    diffs: [{ path: "policies/vision.md" }, { path: "policies/vision.en.md" }, { path: "evidence/a.pdf" }],
  }),
  unpublishedEntryDataFile: async (collection, slug, path) => { calls.push(["unpublishedEntryDataFile", path]); },
  status: async () => "ok",
};
const registry = { github: { init: () => recording } };
globalThis.window = { CMS: { getBackend: (name) => registry[name] } };
require(process.argv[1]);
const i18n = { structure: "multiple_files", locales: ["fr", "en"], default_locale: "fr" };
const backend = registry.github.init({ i18n, collections: [{ folder: "policies", i18n }] }, {});
const titled = "---\ntitle: Our vision\n---\nText\n";
(async () => {
  const listed = (await backend.entriesByFolder("policies", "md", 1)).map((e) => e.file.path);
  const opened = (await backend.getEntry("policies/vision.fr.md")).file.path;
  const kept = (await backend.getEntry("policies/charter.fr.md")).file.path;
  await backend.persistEntry({
    dataFiles: [
      { path: "policies/vision.fr.md", raw: "---\ntitle: Notre vision\n---\n" },
      { path: "policies/vision.en.md", raw: titled },
      { path: "policies/charter.fr.md", raw: "---\ntitle: Charte\n---\n" },
      { path: "policies/charter.en.md", raw: "---\nbody: x\n---\n" },
    ],
  });
  const diffs = (await backend.unpublishedEntry({ id: "cms/vision" })).diffs.map((d) => d.path);
  await backend.unpublishedEntryDataFile("vision", "vision", "policies/vision.fr.md", "1");
  console.log(JSON.stringify({ listed, opened, kept, diffs, calls, status: await backend.status() }));
})();
"""


def run_script() -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is missing: it runs the editor's script here (`apt-get install nodejs`)")
    with resources.as_file(resources.files("pptoolkit").joinpath("data/editor/translations.js")) as script:
        done = subprocess.run([node, "-e", HARNESS, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_decap_sees_name_fr_md_where_the_repository_has_name_md_and_writes_name_md() -> None:
    seen = run_script()
    assert seen["listed"] == [
        "policies/vision.fr.md",  # the original, NAME.md in the repository
        "policies/vision.en.md",
        "policies/charter.fr.md",  # already named as Decap names it: kept
        "evidence/minutes.md",  # not a collection's folder: untouched
    ]
    assert (seen["opened"], seen["kept"]) == ("policies/vision.fr.md", "policies/charter.fr.md")
    persisted = [call for call in seen["calls"] if call[0] == "persistEntry"]
    # The original is written to NAME.md (or to its own NAME.fr.md); an untitled translation is not written.
    assert persisted == [["persistEntry", ["policies/vision.md", "policies/vision.en.md", "policies/charter.fr.md"]]]
    assert ["getEntry", "policies/vision.md"] in seen["calls"]
    assert ["getEntry", "policies/charter.fr.md"] in seen["calls"]
    assert seen["status"] == "ok"  # every other method is the backend's own


def test_a_pull_request_s_files_are_read_by_their_names_in_the_repository() -> None:
    seen = run_script()
    assert seen["diffs"] == ["policies/vision.fr.md", "policies/vision.en.md", "evidence/a.pdf"]
    assert ["unpublishedEntryDataFile", "policies/vision.md"] in seen["calls"]
