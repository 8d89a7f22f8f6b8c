"""The Alembic revision this code expects, importable without SQLAlchemy or Alembic.

The start-up reads the 工作台 with ``sqlite3`` before the ORM is loaded (services.read.home.FileHomeReader) and may
only do so on a database already at this revision; services.core.db checks it the same way before migrating.
"""

from __future__ import annotations

from services.core.paths import migrations_path

# The newest migration script's revision, read from the script names (``<revision>_<what>.py``, revisions numbered
# in order; services/core/storage.py known_revisions reads them the same way), so a new migration needs no edit
# here. The scripts ship as files in the built app too (build.spec). Checked against Alembic's own head by a test
# (tests/services/test_verify.py).
SCHEMA_HEAD = max(p.name.split("_", 1)[0] for p in (migrations_path() / "versions").glob("[0-9]*_*.py"))
