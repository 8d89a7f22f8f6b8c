"""The application's name and version: the one place build.spec, the CLI and the window read them from."""

APP_NAME = "EnforceDesk"
APP_TITLE = "乡镇综合执法工作台"
VERSION = "0.1.0"
# Bumped when the on-disk schema changes incompatibly for sync partners (Alembic head is the fine-grained one).
SCHEMA_MAJOR = 1
