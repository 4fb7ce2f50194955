"""Every dependency has a version range, and the installed versions fall in it."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
REQUIREMENTS = [*PROJECT["dependencies"], *[r for rs in PROJECT["optional-dependencies"].values() for r in rs]]


@pytest.mark.parametrize("text", REQUIREMENTS)
def test_every_dependency_has_a_tested_range(text):
    req = Requirement(text)
    operators = {spec.operator for spec in req.specifier}
    assert operators & {">=", "~="} and operators & {"<", "~=", "=="}, f"{req.name}: give a range >=x,<y"
    try:
        installed = version(req.name)
    except PackageNotFoundError:
        return  # an optional extra not installed here: its range is still checked above
    assert req.specifier.contains(installed, prereleases=True), f"{req.name} {installed} not in {text}"
