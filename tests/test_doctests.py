"""Every docstring example in the installed package runs as a test (as pronto does)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import neuroloc

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(neuroloc.__path__, prefix="neuroloc.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", ["neuroloc", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
