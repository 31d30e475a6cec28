"""Babel extraction methods: the rule modules' messages and each rule's documentation; the models' field descriptions.

A rule's documentation is the fourth argument of ``Rule(...)``, a plain string that the README shows
in English; ``pptoolkit rules`` and the SARIF report show it in the language in use, so the catalog
needs it too. A model field's ``description`` is the hint of its field in the editors' forms, which
speak the playbook's language. Used by ``babel.cfg`` (and the tests), never when the tool runs.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python


def rule_modules(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Any
) -> Iterator[Any]:
    """Every ``_()`` message of a rule module, as Babel's Python method finds them, then each rule's documentation."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Rule":
            doc = node.args[3] if len(node.args) > 3 else next((k.value for k in node.keywords if k.arg == "doc"), None)
            if isinstance(doc, ast.Constant) and isinstance(doc.value, str):
                yield doc.lineno, None, doc.value, []


def model_modules(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Any
) -> Iterator[Any]:
    """Every ``_()`` message of a model module, as Babel's Python method finds them, then each field's description."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Field":
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "description" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value.lineno, None, value.value, []
