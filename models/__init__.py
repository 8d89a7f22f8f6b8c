"""Domain entities and pure rules of EnforceDesk (no Qt, no I/O)."""
