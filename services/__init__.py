"""Use cases of EnforceDesk: units of work, legal procedures, storage, statistics (no Qt)."""
