"""Reading the configuration files in ``data/`` (TOML), with clear errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The parsed file; :class:`ConfigError` says which ``what`` is missing or broken."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what} {path} bestaat niet") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name} is geen geldige TOML: {exc}") from None
