"""The checked playbook as the readers of one language see it: each artifact in its translation, when there is one,
role titles and the site's name in that language.

The site's tree of a language, the calendar and the paper edition in that language all show this view,
so ``pptoolkit calendar --lang en`` and ``pptoolkit pdf --lang en`` read as the English site does.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from pptoolkit.checking.checker import Result
from pptoolkit.loading.translations import translated


def in_language(result: Result, language: str) -> Result:
    """The checked playbook as readers of ``language`` see it: translated artifacts, role titles and site name.

    Coverage, diagnostics and everything shared stay the original's: a pair is one artifact.
    """
    if language == result.playbook.settings.default_language:
        return result
    playbook = copy.copy(result.playbook)
    settings = playbook.settings
    playbook.settings = replace(settings, site_name=settings.site_name_in(language))
    shown = translated(result.playbook, language)
    playbook.artifacts = list(shown.values())
    playbook._by_path = {}
    playbook.roles = {
        role_id: replace(role, model=role.model.model_copy(update={"title": role.model.titles.get(language)}))
        if role.model.titles.get(language)
        else role
        for role_id, role in result.playbook.roles.items()
    }
    coverage = tuple(replace(c, artifacts=tuple(shown.get(a.path, a) for a in c.artifacts)) for c in result.coverage)
    return replace(result, playbook=playbook, coverage=coverage)
