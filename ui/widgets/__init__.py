"""Reusable widgets: step dialogs, filter bars, pickers."""
