"""Statistics: the indicators, declared once, computed for a township's year or grouped for the district."""
