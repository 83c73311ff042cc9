"""Where the compiler's own files are: templates, assets, fonts and schemas.

Why: the design card keeps `templates/` and `schemas/` at the top of the repository,
where people edit them; a wheel maps them into the package at build time (see
pyproject.toml). Both layouts are found here, so every stage asks this module and no
stage guesses paths of its own.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder `templates` or `schemas`, in an installed wheel or in a checkout."""
    inside = _PACKAGE / name  # a built wheel: mapped into the package
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name  # the repository (python build.py, editable installs)


TEMPLATE_DIR = resource_dir("templates")
SCHEMA_DIR = resource_dir("schemas")
ASSET_DIR = TEMPLATE_DIR / "assets"

_EXAMPLE_IN_WHEEL = _PACKAGE / "example"
EXAMPLE_DIR = _EXAMPLE_IN_WHEEL if _EXAMPLE_IN_WHEEL.is_dir() else _PACKAGE.parent / "policy_src"
STARTER_DIR = _PACKAGE / "starter"
