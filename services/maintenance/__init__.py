"""Keeping an installation whole: verification, self-test, backups."""
