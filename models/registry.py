"""Imports every entity module so ``Base.metadata`` is complete (for Alembic and table creation)."""

from models import case, catalogue, district, inspection, mediation, org, party, records, sync, system  # noqa: F401
from models.base import Base

metadata = Base.metadata
