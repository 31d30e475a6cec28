"""Speed and memory targets of the checker and the page generators, measured as ratios in one run.

Run: python benchmarks/bench_checker.py   (exit 1 when a target is missed)

Ratios, not seconds, so that the targets hold on any machine:
- the checker is linear: 10x the artifacts costs at most 15x the time and 15x the peak memory;
- the page generators are linear too (at most 15x for 10x the artifacts);
- libyaml's C parser makes loading front matter at least 1.5x faster than pure-Python PyYAML;
- an alias bomb is refused at the cost of at most 50 ordinary artifacts.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from pptoolkit.checking.checker import check
from pptoolkit.publishing.pages import site_pages
from pptoolkit.reading import yamlsource

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 26)
PRACTICES = ["D1", "D2", "S1", "S2", "S5", "O4", "E3"]


def artifact(index: int) -> str:
    practice = PRACTICES[index % len(PRACTICES)]
    return f"""---
id: artifact-{index}
kind: procedure
title: Procedure number {index}
owner: pp-coordinator
status: approved
approved_on: 2026-01-15
review_by: 2028-01-15
implements: [{practice}]
evidence:
  - title: Minutes {index}
    date: 2026-02-01
    link: ../evidence/minutes.md
steps:
  - Identify the team
  - Meet the advisor
---

# Procedure number {index}

## Steps

The steps, in order, with who does each.
"""


def make_playbook(folder: Path, count: int) -> Path:
    for name in ("mkdocs.yml", "checks/matrix.yml", "checks/roles.yml"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, folder / name)
    (folder / "evidence").mkdir()
    (folder / "evidence/minutes.md").write_text("Fictitious minutes.\n", encoding="utf-8")
    (folder / "policies").mkdir()
    for index in range(count):
        (folder / "policies" / f"a{index}.md").write_text(artifact(index), encoding="utf-8")
    return folder


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(work: Callable[[], object]) -> int:
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> int:
    results: list[tuple[str, float, float, bool]] = []
    with tempfile.TemporaryDirectory() as tmp:
        small = make_playbook(Path(tmp) / "small", 100)
        large = make_playbook(Path(tmp) / "large", 1000)
        check(small, TODAY)  # warm the imports and the file system cache
        t_small = best_of(5, lambda: check(small, TODAY))
        t_large = best_of(3, lambda: check(large, TODAY))
        results.append(("checker time, 1000 vs 100 artifacts", t_large / t_small, 15.0, t_large / t_small <= 15.0))
        m_small = peak_memory(lambda: check(small, TODAY))
        m_large = peak_memory(lambda: check(large, TODAY))
        results.append(("checker peak memory, 1000 vs 100", m_large / m_small, 15.0, m_large / m_small <= 15.0))
        r_small, r_large = check(small, TODAY), check(large, TODAY)
        site_pages(r_small)  # warm up
        p_small = best_of(5, lambda: site_pages(r_small))
        p_large = best_of(3, lambda: site_pages(r_large))
        results.append(("page generation, 1000 vs 100 artifacts", p_large / p_small, 15.0, p_large / p_small <= 15.0))

    text = artifact(1).split("---")[1] * 1
    fast = best_of(5, lambda: [yamlsource.load_yaml(text) for _ in range(300)])
    original = yamlsource.Loader
    yamlsource.Loader = yaml.SafeLoader
    try:
        slow = best_of(5, lambda: [yamlsource.load_yaml(text) for _ in range(300)])
    finally:
        yamlsource.Loader = original
    results.append(("pure-Python vs libyaml loading", slow / fast, 1.5, slow / fast >= 1.5))

    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )

    def refuse_bomb() -> None:
        try:
            yamlsource.load_yaml(bomb)
        except yamlsource.YamlProblem:
            return
        raise AssertionError("the alias bomb was accepted")

    bomb_time = best_of(5, refuse_bomb)
    one = best_of(5, lambda: yamlsource.load_yaml(text))
    results.append(("alias bomb refusal vs one artifact", bomb_time / one, 50.0, bomb_time / one <= 50.0))

    width = max(len(name) for name, *_ in results)
    failed = 0
    for name, ratio, target, ok in results:
        failed += not ok
        print(f"{name:<{width}}  {ratio:8.2f}  target {target:g}  {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
