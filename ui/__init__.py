"""Qt desktop interface of EnforceDesk: windows, dialogs and item models (no SQLAlchemy, no models/)."""
