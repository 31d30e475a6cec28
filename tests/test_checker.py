"""The checker's result: its diagnostics in the order every report prints them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pptoolkit.checking.checker import IN_ORDER
from pptoolkit.model.diagnostics import Diagnostic, Severity

_DIAGNOSTICS = st.builds(
    Diagnostic,
    path=st.sampled_from(["a.md", "b/a.md", "b.md", "B.md", "é.md"]),
    line=st.integers(1, 3),
    column=st.integers(1, 3),
    code=st.sampled_from(["PP101", "PP302", "PP40"]),
    name=st.sampled_from(["x", "y"]),
    severity=st.sampled_from(list(Severity)),
    message=st.sampled_from(["", "a", "b", "ab"]),
    practice=st.none() | st.just("D1"),
)


@given(st.lists(_DIAGNOSTICS, max_size=30))
def test_diagnostics_are_sorted_by_their_own_order(diagnostics: list[Diagnostic]) -> None:
    """The check's quick sort key puts diagnostics in the order they compare in (path, line, column, code, message)."""
    assert sorted(set(diagnostics), key=IN_ORDER) == sorted(set(diagnostics))
