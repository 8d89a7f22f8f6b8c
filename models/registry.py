"""Imports every entity module so ``Base.metadata`` holds every entity table. ``figure_month`` is generated in
services/ from the statistics declaration: the complete schema is services/core/schema.py."""

from models import (  # noqa: F401
    case,
    case_records,
    catalogue,
    district,
    figures,
    inspection,
    mediation,
    org,
    party,
    records,
    sync,
    system,
)
from models.base import Base
from models.figures import is_unmodelled

metadata = Base.metadata

__all__ = ["is_unmodelled", "metadata"]
