"""The Alembic revision this code expects, importable without SQLAlchemy or Alembic.

The start-up reads the 工作台 with ``sqlite3`` before the ORM is loaded (services.read.home.FileHomeReader) and may
only do so on a database already at this revision; services.core.db checks it the same way before migrating.
"""

from __future__ import annotations

# Checked against the migration scripts by a test (tests/services/test_verify.py).
SCHEMA_HEAD = "0010"
