"""The complete schema: every entity table of models/ plus ``figure_month``, which services/statistics/figure_table.py
generates from the statistics declaration. Read the metadata here (Alembic, the database copy, the schema checks),
not from models.registry, which holds the entity tables only."""

from __future__ import annotations

import services.statistics.figure_table  # noqa: F401 - adds figure_month to the metadata
from models.registry import is_unmodelled, metadata

__all__ = ["is_unmodelled", "metadata"]
