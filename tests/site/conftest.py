"""Fixtures of the site tests: the small playbook and the sample playbook, each built once per session.

Both are copies in a temporary folder (the repository's own ``site/`` is never
touched), built through the plugin with ``today`` pinned to ``TODAY`` so that
statuses and due dates do not depend on the real date.
"""

from __future__ import annotations

import pytest
from site_support import BuiltSite, build_copy, copy_sample, copy_small


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The small playbook (``tests/site/playbook``), built strictly."""
    return build_copy(copy_small(tmp_path_factory.mktemp("small") / "playbook"), strict=True)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The repository's sample playbook, built strictly unless the checker reports errors on it."""
    return build_copy(copy_sample(tmp_path_factory.mktemp("sample") / "playbook"))
