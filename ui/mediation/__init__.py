"""People's mediation screens."""
