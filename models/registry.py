"""Imports every entity module so ``Base.metadata`` is complete (for Alembic and table creation)."""

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
