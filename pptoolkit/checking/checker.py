"""The checker: load a playbook once, run every check, assess coverage, and return one result.

``pptoolkit check``, ``pptoolkit matrix``, the MkDocs plugin and every other
command go through :func:`check`, so they always agree.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter
from pathlib import Path

from pptoolkit.checking.baseline import Ratchet, ratchet, read_baseline
from pptoolkit.checking.cascade import without_cascades
from pptoolkit.checking.coverage import CoverageCounts, PracticeCoverage, assess, coverage_counts
from pptoolkit.checking.privacy import privacy_checks
from pptoolkit.checking.rules import configured, run_checks
from pptoolkit.checking.translated import translation_diagnostics
from pptoolkit.i18n import language_for, use_language
from pptoolkit.loading.cache import Cache, NoCache, open_cache, save_cache
from pptoolkit.loading.playbook import Playbook, load_playbook
from pptoolkit.model.diagnostics import Diagnostic
from pptoolkit.model.settings import Settings, load_settings
from pptoolkit.reading.documents import TextChanged
from pptoolkit.reading.trace import NOT_TRACED, NotTraced


@dataclass(frozen=True)
class Result:
    """A checked playbook: its coverage and every diagnostic, sorted by file, line and column."""

    playbook: Playbook
    today: date
    coverage: tuple[PracticeCoverage, ...]
    diagnostics: tuple[Diagnostic, ...]
    ratchet: Ratchet | None = None
    """What the playbook's baseline of accepted gaps does to this check (None: the playbook has none)."""

    @property
    def errors(self) -> int:
        """How many diagnostics are errors."""
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def baselined(self) -> frozenset[Diagnostic]:
        """The errors that the baseline accepts: reported, but failing nothing."""
        return self.ratchet.baselined if self.ratchet else frozenset()

    @property
    def new_errors(self) -> int:
        """How many errors the baseline does not accept: those that fail a check and a strict build."""
        return sum(1 for d in self.diagnostics if d.is_error and d not in self.baselined)

    @property
    def warnings(self) -> int:
        """How many diagnostics are warnings."""
        return len(self.diagnostics) - self.errors

    @property
    def exit_code(self) -> int:
        """0 without errors (warnings and baselined errors allowed), 1 with errors."""
        return 1 if self.new_errors else 0

    def counts(self) -> dict[str, int]:
        """How many practices have each status (every status present, zero included)."""
        return dict(self.coverage_counts().by_status)

    def coverage_counts(self) -> CoverageCounts:
        """The counts every page and report prints (``covered`` includes the practices overdue for review)."""
        return coverage_counts(self.coverage)

    @property
    def covered(self) -> int:
        """How many practices are covered, stale ones included."""
        return self.coverage_counts().covered

    def summary(self) -> dict[str, int]:
        """The counts that reporters print: practices by status, artifacts, errors and warnings."""
        return {
            "practices": len(self.coverage),
            **self.counts(),
            "artifacts": len(self.playbook.artifacts),
            "errors": self.errors,
            "warnings": self.warnings,
        }

    def coverage_of(self, practice_id: str) -> PracticeCoverage | None:
        """The coverage of one practice, or None."""
        return next((c for c in self.coverage if c.practice.id == practice_id), None)


def check_playbook(playbook: Playbook, today: date) -> Result:
    """Check an already loaded playbook as of ``today``."""
    coverage, coverage_diagnostics = assess(playbook, today)
    found = [
        *playbook.diagnostics,
        *run_checks(playbook, today),
        *privacy_checks(playbook),
        *coverage_diagnostics,
        *translation_diagnostics(playbook, today),
    ]
    diagnostics = configured(without_cascades(playbook, found), playbook.settings.rule_settings)
    return Result(playbook, today, tuple(coverage), tuple(sorted(set(diagnostics), key=IN_ORDER)))


IN_ORDER = attrgetter("path", "line", "column", "code", "message")
"""A diagnostic's place in a report: its dataclass order (the fields it compares), compared in C.

Sorting 20,000 diagnostics by the dataclass's ``__lt__`` took three times as long.
"""


def check(
    root: Path,
    today: date | None = None,
    settings: Settings | None = None,
    *,
    use_cache: bool = False,
    use_baseline: bool = True,
    trace: NotTraced = NOT_TRACED,
) -> Result:
    """Load and check the playbook at ``root`` as of ``today`` (default: the real date).

    With ``use_cache``, the work done on each file is remembered in the playbook's cache
    (in the user's cache folder: see ``cache.py``) and reused while the file's content stays the same.
    With a baseline of accepted gaps (``settings.baseline``), the result says which errors it accepts;
    ``use_baseline=False`` leaves the file unread (``pptoolkit baseline`` rewrites one that cannot be read).
    Raises ``ConfigError`` when the playbook cannot be checked at all (exit code 2), and ``TextChanged``
    (an OSError) when files keep changing under it (see ``CHECK_ATTEMPTS``).
    Messages are in the language chosen by the caller (``use_language``), else the playbook's default language.
    ``trace`` records what the check reads, with the cache (``checking/memo.py``); a check that starts over records
    what each attempt read.
    """
    if settings is None:
        trace.status(root / "mkdocs.yml")
        settings = load_settings(Path(trace.resolved(root)))
    if use_baseline:
        trace.status(root / settings.baseline)
    baseline = read_baseline(root, settings.baseline) if use_baseline else None
    with use_language(language_for(settings.default_language)), cycle_collection_paused():
        for attempt in range(1, CHECK_ATTEMPTS + 1):
            cache: NoCache = open_cache(root, settings) if use_cache else NoCache()
            if isinstance(cache, Cache) and trace.active:
                cache.trace = trace
                trace.fingerprint = cache.fingerprint
            try:
                result = check_playbook(load_playbook(root, settings, cache), today or date.today())
                break
            except TextChanged:  # a file saved during the check, read again for a line once its text was let go of
                if isinstance(cache, Cache):
                    cache.close()  # nothing of this attempt is kept
                if attempt == CHECK_ATTEMPTS:
                    raise
    if isinstance(cache, Cache):
        save_cache(root, cache)
        result.playbook.cache = NoCache()  # saved: what follows (a report, a site) need not hold its records
    if baseline is None:
        return result
    return replace(result, ratchet=ratchet(baseline, result.coverage, result.diagnostics))


CHECK_ATTEMPTS = 3
"""A check that finds a file changed under it (``TextChanged``) starts over, this many times at most.

A check lets go of each artifact's text once the rules that read it have their answers, and reads it again
when a rule that spans files needs a line in it: a file saved in between is no longer the text checked.
"""


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the playbook is checked (and while its report is written).

    A check builds hundreds of thousands of small objects (YAML values, positions, models)
    and no reference cycles worth collecting; the collector would walk them all again and
    again, which took a quarter of a check at 5,000 artifacts, and, once the check's objects
    exist, 0.25 s of writing a JSON report of 9 MB. It resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
