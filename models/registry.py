"""Imports every entity module so ``Base.metadata`` is complete (for Alembic and table creation)."""

from models import case, catalogue, district, figures, inspection, mediation, org, party, records, sync, system  # noqa: F401
from models.base import Base
from models.figures import is_unmodelled

metadata = Base.metadata

__all__ = ["is_unmodelled", "metadata"]
