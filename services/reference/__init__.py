"""Reference data and configuration: catalogue, holiday calendar, [L] settings, numbering, first run."""
