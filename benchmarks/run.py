"""The performance targets of issues 6 and 11, measured side by side in one run and printed as ratios.

Run: python benchmarks/run.py [--sizes 5000,20000] [--site-sizes 1000,5000] [--runs 3] [--skip-site] [--markdown]

Every measurement is a subprocess, timed from start to exit (best of --runs), whose
peak memory is the child's own maximum resident set size. Every figure is a ratio
against a floor or a peer measured in the same run, because absolute times on
shared machines drift; a target is judged on the ratio of CPU times (user and system),
which a machine shared with other work disturbs far less than wall time (given beside it).
The children run with their modules' bytecode, as an installed package has it (compiled
once, before the first measurement, into the run's own folder), whatever
``PYTHONDONTWRITEBYTECODE`` says. Every check writes its whole report with ``--format json``, and
a cold check starts with no cache present. The playbooks come from ``generate.py`` (seeded, reproducible),
each size generated once into one temporary folder. Exit code: 0 when every target
is met, 1 when one is missed, 2 when a measurement could not be made.

On Linux a child's ``ru_maxrss`` starts from the RSS of the process that forked
it, so this runner stays lean: it never imports pptoolkit or MkDocs itself (the
plain site is written by ``plain_site.py``, in a child of its own).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
FLOOR = HERE / "floor.py"
PLAIN_SITE = HERE / "plain_site.py"
PACKAGES = ("pptoolkit", "mkdocs", "mkdocs-material", "pydantic", "PyYAML", "markdown-it-py")
# The checks keep their caches in the run's own folder (PPTOOLKIT_CACHE_DIR, set by main and removed before
# each cold check), never in the user's cache folder.
ENVIRONMENT = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
STARTED = time.perf_counter()
RATIO = "x"  # the unit of a ratio; memory is in " MB"


class MeasurementFailed(Exception):
    """A measured command failed (say, the checker could not check): no figure can be given."""


@dataclass(frozen=True)
class Run:
    """One measured command: its wall time, the child's peak memory, and its CPU time (user and system)."""

    seconds: float
    peak_mb: float
    cpu_seconds: float


@dataclass(frozen=True)
class Row:
    """One target: what was measured, its limit, and the absolute figures behind the ratio."""

    target: str
    measured: float
    limit: float
    unit: str
    detail: str

    @property
    def ok(self) -> bool:
        return self.measured <= self.limit


# Measuring


def progress(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


def peak_mb(max_rss: int) -> float:
    """``ru_maxrss`` in megabytes (10^6 bytes): KiB on Linux, bytes on macOS."""
    return max_rss / 1e6 if sys.platform == "darwin" else max_rss * 1024 / 1e6


def measure(command: list[str], label: str) -> Run:
    """Run ``command`` once; exit codes 0 and 1 (errors found in the playbook) are fine, others fail."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=ENVIRONMENT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            output.seek(0)
            tail = output.read().decode("utf-8", errors="replace")[-3000:]
            raise MeasurementFailed(f"{label}: '{' '.join(command)}' exited with {process.returncode}:\n{tail}")
    run = Run(seconds, peak_mb(usage.ru_maxrss), usage.ru_utime + usage.ru_stime)
    progress(f"{label}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB, CPU {run.cpu_seconds:.2f} s")
    return run


def best(runs: list[Run]) -> float:
    return min(run.seconds for run in runs)


def best_cpu(runs: list[Run]) -> float:
    return min(run.cpu_seconds for run in runs)


def remove_cache(root: Path) -> None:
    """Remove the caches of every check of this run (``root`` is the playbook whose check comes next)."""
    shutil.rmtree(ENVIRONMENT["PPTOOLKIT_CACHE_DIR"], ignore_errors=True)


def check_command(root: Path, *options: str) -> list[str]:
    """A check as CI runs it: the whole report as JSON (every artifact of every practice), to a file."""
    return [sys.executable, "-m", "pptoolkit", "check", str(root), "--format", "json", *options]


def floor_runs(root: Path, size: int, runs: int) -> list[Run]:
    command = [sys.executable, str(FLOOR), str(root)]
    return [measure(command, f"floor, {size:,} artifacts, run {n}/{runs}") for n in range(1, runs + 1)]


def cold_checks(root: Path, size: int, runs: int) -> list[Run]:
    """Checks with no cache present: the playbook's cache removed before each (as in a fresh CI clone)."""
    measured = []
    for n in range(1, runs + 1):
        remove_cache(root)
        measured.append(measure(check_command(root), f"cold check, {size:,} artifacts, run {n}/{runs}"))
    return measured


def uncached_checks(root: Path, size: int, runs: int) -> list[Run]:
    """Checks with --no-cache: nothing read from or written to the cache."""
    remove_cache(root)
    command = check_command(root, "--no-cache")
    return [measure(command, f"check --no-cache, {size:,} artifacts, run {n}/{runs}") for n in range(1, runs + 1)]


def warm_checks(root: Path, size: int, runs: int) -> list[Run]:
    """Checks after one artifact changed since the previous check (a different artifact each run)."""
    remove_cache(root)
    measure(check_command(root), f"check to fill the cache, {size:,} artifacts")
    artifacts = sorted((root / "policies").rglob("*.md"))
    measured = []
    for n in range(1, runs + 1):
        changed = artifacts[n * len(artifacts) // (runs + 1)]
        with changed.open("a", encoding="utf-8") as handle:
            handle.write(f"\nEdited for the benchmark, run {n}.\n")
        label = f"warm check, {size:,} artifacts, {changed.name} changed, run {n}/{runs}"
        measured.append(measure(check_command(root), label))
    return measured


def pptoolkit_build(root: Path, site: Path, size: int, label: str) -> Run:
    """A cold ``pptoolkit build`` (no cache, no previous site to replace)."""
    remove_cache(root)
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "pptoolkit", "build", str(root), "--site-dir", str(site), "--no-strict"]
    return measure(command, f"pptoolkit build, {size:,} artifacts, {label}")


def write_plain_site(root: Path, folder: Path, size: int) -> Path:
    """The same site as plain MkDocs sources (see plain_site.py); return its mkdocs.yml."""
    measure([sys.executable, str(PLAIN_SITE), str(root), str(folder)], f"writing the plain site, {size:,} artifacts")
    return folder / "mkdocs.yml"


def plain_build(config: Path, site: Path, size: int, label: str) -> Run:
    """MkDocs alone, on the same pages written out beforehand."""
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    return measure(command, f"plain MkDocs build, {size:,} artifacts, {label}")


# The targets, one function each


def time_ratio(
    target: str, limit: float, runs: list[Run], name: str, against: list[Run], against_name: str, digits: int = 2
) -> Row:
    """A target on the ratio of two best CPU times, each named (in seconds, to ``digits`` decimals) in the detail.

    The detail also gives the ratio of wall times, which a busy machine disturbs more.
    """
    mine, theirs = best_cpu(runs), best_cpu(against)
    wall = f"wall {best(runs):.{digits}f} s / {best(against):.{digits}f} s = {best(runs) / best(against):.2f}x"
    return Row(
        target,
        mine / theirs,
        limit,
        RATIO,
        f"{name} CPU {mine:.{digits}f} s, {against_name} CPU {theirs:.{digits}f} s; {wall}",
    )


def cold_check_target(cold: list[Run], floor: list[Run], size: int) -> Row:
    return time_ratio(f"1. Cold check / floor, {size:,} artifacts", 2.0, cold, "check", floor, "floor")


def uncached_check_target(uncached: list[Run], floor: list[Run], size: int) -> Row:
    return time_ratio(f"1b. Check --no-cache / floor, {size:,} artifacts", 2.0, uncached, "check", floor, "floor")


def warm_check_target(warm: list[Run], cold: list[Run], size: int) -> Row:
    target = f"2. Warm re-check after one edit / cold check, {size:,} artifacts"
    return time_ratio(target, 0.25, warm, "warm", cold, "cold")


def memory_target(runs: list[Run], target: str, detail: str) -> Row:
    """A target on the largest peak memory of the runs."""
    return Row(target, max(run.peak_mb for run in runs), 100.0, " MB", detail)


def growth_target(large: list[Run], small: list[Run], sizes: tuple[int, int]) -> Row:
    growth = sizes[1] / sizes[0]
    return Row(
        f"4. Cold check, {sizes[1]:,} / {sizes[0]:,} artifacts",
        best_cpu(large) / best_cpu(small),
        1.1 * growth,
        RATIO,
        f"CPU {best_cpu(large):.2f} s / {best_cpu(small):.2f} s (linear: {growth:g}x, 10 % allowed);"
        f" wall {best(large):.2f} s / {best(small):.2f} s",
    )


def site_share_target(plugin: list[Run], plain: list[Run], size: int) -> Row:
    target = f"5a. pptoolkit build / plain MkDocs build, {size:,} artifacts"
    return time_ratio(target, 1.10, plugin, "pptoolkit build", plain, "plain", digits=1)


def site_growth_target(large: list[Run], small: list[Run], sizes: tuple[int, int]) -> Row:
    per_large, per_small = best_cpu(large) / sizes[1], best_cpu(small) / sizes[0]
    return Row(
        f"5b. Build time per artifact, {sizes[1]:,} / {sizes[0]:,} artifacts",
        per_large / per_small,
        1.3,
        RATIO,
        f"CPU {1000 * per_large:.1f} ms / {1000 * per_small:.1f} ms per artifact",
    )


# The run


class Playbooks:
    """Generated playbooks in one folder, each size generated once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.roots: dict[int, Path] = {}

    def get(self, size: int) -> Path:
        if size not in self.roots:
            progress(f"generating a playbook of {size:,} artifacts")
            self.roots[size] = generate(self.folder / f"playbook-{size}", size)
        return self.roots[size]


def machine_lines() -> list[str]:
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return [
        f"Machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, {python}",
        f"Versions: {', '.join(versions)}",
    ]


def print_row(row: Row) -> None:
    measured, limit = f"{row.measured:.2f}{row.unit}", f"{row.limit:.2f}{row.unit}"
    verdict = "ok" if row.ok else "MISSED"
    print(f"{row.target:<64} {measured:>10}  limit {limit:>10}  {verdict:<6}  ({row.detail})", flush=True)


def markdown_table(rows: list[Row]) -> str:
    lines = ["| Target | Measured | Limit | OK |", "| --- | --- | --- | --- |"]
    for row in rows:
        verdict = "yes" if row.ok else "**no**"
        lines.append(f"| {row.target} | {row.measured:.2f}{row.unit} | {row.limit:.2f}{row.unit} | {verdict} |")
    return "\n".join(lines)


def check_targets(playbooks: Playbooks, sizes: tuple[int, int], runs: int) -> list[Row]:
    """Targets 1 to 4, each printed as soon as it is measured."""
    size = sizes[0]
    root = playbooks.get(size)
    floor = floor_runs(root, size, runs)
    cold = cold_checks(root, size, runs)
    rows = [cold_check_target(cold, floor, size)]
    print_row(rows[-1])
    uncached = uncached_checks(root, size, runs)
    rows.append(uncached_check_target(uncached, floor, size))
    print_row(rows[-1])
    warm = warm_checks(root, size, runs)
    rows.append(warm_check_target(warm, cold, size))
    print_row(rows[-1])
    runner = peak_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    detail = f"largest of the cold checks; at least the runner's own {runner:.0f} MB"
    rows.append(memory_target(cold, f"3. Peak memory of a cold check, {size:,} artifacts", detail))
    print_row(rows[-1])
    target = f"3b. Peak memory of a check --no-cache, {size:,} artifacts"
    rows.append(memory_target(uncached, target, "largest of the runs"))
    print_row(rows[-1])
    target = f"3c. Peak memory of a re-check after one edit, {size:,} artifacts"
    rows.append(memory_target(warm, target, "largest of the runs"))
    print_row(rows[-1])
    large = cold_checks(playbooks.get(sizes[1]), sizes[1], runs)
    rows.append(growth_target(large, cold, sizes))
    print_row(rows[-1])
    return rows


def site_targets(playbooks: Playbooks, sizes: tuple[int, int], runs: int) -> list[Row]:
    """Target 5: the plugin's share of a build, then how build time grows."""
    small, large = sizes
    site = playbooks.folder / "site"
    plain_config_file = write_plain_site(playbooks.get(large), playbooks.folder / f"plain-{large}", large)
    plugin_runs, plain_runs = [], []
    for n in range(1, runs + 1):  # alternated, so that a slower spell of the machine hits both
        plugin_runs.append(pptoolkit_build(playbooks.get(large), site, large, f"run {n}/{runs}"))
        plain_runs.append(plain_build(plain_config_file, site, large, f"run {n}/{runs}"))
    share = site_share_target(plugin_runs, plain_runs, large)
    print_row(share)
    small_runs = [pptoolkit_build(playbooks.get(small), site, small, f"run {n}/{runs}") for n in range(1, runs + 1)]
    growth = site_growth_target(plugin_runs, small_runs, sizes)
    print_row(growth)
    return [share, growth]


def compile_bytecode(folder: Path) -> None:
    """Give the children the bytecode an installed package has: pptoolkit's compiled into ``folder``.

    Without it, under ``PYTHONDONTWRITEBYTECODE`` (or a read-only checkout), every check would compile
    the checker's 40 modules again, 0.1 s of CPU that no installed copy spends. The runner finds the
    package without importing it (see the module's docstring).
    """
    ENVIRONMENT.pop("PYTHONDONTWRITEBYTECODE", None)
    ENVIRONMENT["PYTHONPYCACHEPREFIX"] = str(folder)
    spec = importlib.util.find_spec("pptoolkit")
    if spec is None or not spec.submodule_search_locations:
        raise MeasurementFailed("pptoolkit is not installed in this Python")
    sources = next(iter(spec.submodule_search_locations))
    script = f"import compileall, sys; sys.exit(not compileall.compile_dir({sources!r}, quiet=1))"
    command = [sys.executable, "-c", script]
    measure(command, "compiling pptoolkit's bytecode")


def pair(value: str) -> tuple[int, int]:
    parts = [int(part) for part in value.split(",")]
    if len(parts) != 2 or not 0 < parts[0] < parts[1]:
        raise argparse.ArgumentTypeError(f"expected two sizes, smaller first, such as 5000,20000; got '{value}'")
    return parts[0], parts[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=pair, default=(5000, 20000), help="check size,growth size (default 5000,20000)")
    parser.add_argument("--site-sizes", type=pair, default=(1000, 5000), help="site sizes (default 1000,5000)")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs (default 3)")
    parser.add_argument("--skip-site", action="store_true", help="skip target 5 (the site builds, the slowest)")
    parser.add_argument("--markdown", action="store_true", help="also print the results as a Markdown table")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    for line in machine_lines():
        print(line, flush=True)
    with tempfile.TemporaryDirectory(prefix="pptoolkit-bench-") as folder:
        ENVIRONMENT["PPTOOLKIT_CACHE_DIR"] = str(Path(folder) / "caches")
        playbooks = Playbooks(Path(folder))
        try:
            compile_bytecode(Path(folder) / "bytecode")
            rows = check_targets(playbooks, args.sizes, args.runs)
            if not args.skip_site:
                rows += site_targets(playbooks, args.site_sizes, args.runs)
        except MeasurementFailed as error:
            print(f"benchmark failed: {error}", file=sys.stderr)
            return 2
    missed = [row for row in rows if not row.ok]
    print(f"{len(rows) - len(missed)} of {len(rows)} targets met in {time.perf_counter() - STARTED:.0f} s")
    if args.markdown:
        print(f"\n{markdown_table(rows)}\n\n" + "  \n".join(machine_lines()))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
