"""Penalty case screens: procedure view with steps, deadlines and the discretion helper."""
