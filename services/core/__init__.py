"""Infrastructure every use case stands on: database, unit of work, errors, clock, paths, audit."""
