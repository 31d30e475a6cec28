"""Fixtures of the site tests: the small playbook and the sample playbook, each built once per session,
and the browser of the browser tests.

Both are copies in a temporary folder (the repository's own ``site/`` is never
touched), built through the plugin with ``today`` pinned to ``TODAY`` so that
statuses and due dates do not depend on the real date.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from site_support import CHROMIUM, CHROMIUM_ARGS, BuiltSite, build_copy, copy_sample, copy_small, unavailable


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The small playbook (``tests/site/playbook``), built strictly."""
    return build_copy(copy_small(tmp_path_factory.mktemp("small") / "playbook"), strict=True)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The repository's sample playbook, built strictly unless the checker reports errors on it."""
    return build_copy(copy_sample(tmp_path_factory.mktemp("sample") / "playbook"))


@pytest.fixture(scope="session")
def playwright_api() -> Any:
    """The ``playwright.sync_api`` module, or a skip (a failure in CI) saying how to install it."""
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} is missing: `apt-get install chromium` and `pip install playwright`")
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("Playwright is missing: `pip install playwright` (and `apt-get install chromium`)")
    return sync_api


@pytest.fixture(scope="session")
def browser(playwright_api: Any) -> Iterator[Any]:
    """Headless Debian Chromium (never a browser downloaded by Playwright)."""
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
