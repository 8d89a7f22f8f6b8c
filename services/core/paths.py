"""Where files live: the per-user data folder, the default database, bundled resources (Qt-free)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from services.core.app_info import APP_NAME

BUNDLE_SUFFIX = ".edsync"  # every sync bundle and receipt file: the folder import and the file type take only these


def data_dir() -> Path:
    """Per-user data folder: %APPDATA%\\EnforceDesk on Windows, ~/.local/share/EnforceDesk elsewhere.

    ENFORCEDESK_HOME overrides it (tests, portable installs on a USB stick).
    """
    override = os.environ.get("ENFORCEDESK_HOME")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_NAME
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / APP_NAME
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / APP_NAME
    return base


def default_db_path() -> Path:
    """The database the desktop program opens when no --db is given."""
    return data_dir() / "enforcedesk.sqlite3"


def bundle_root() -> Path:
    """Where the shipped files are: the repository root, or in a PyInstaller build its ``_internal`` folder.

    PyInstaller sets ``sys._MEIPASS`` to that folder (next to EnforceDesk.exe); build.spec copies resources/
    and services/migrations/ there under the same relative paths as in the source tree.
    """
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if meipass else Path(__file__).resolve().parents[2]


def resource_path(*parts: str) -> Path:
    """A file under resources/, from the source tree or from a PyInstaller bundle."""
    return bundle_root().joinpath("resources", *parts)


def migrations_path() -> Path:
    """The Alembic script folder (env.py, script.py.mako, versions/), loaded from disk at run time."""
    return bundle_root() / "services" / "migrations"
