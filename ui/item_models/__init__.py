"""Qt item models over service DTOs (no SQL here: pages come from services.read.queries)."""
