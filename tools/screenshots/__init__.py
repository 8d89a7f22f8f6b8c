"""Offscreen screenshots of every main screen (python main.py --screenshots DIR)."""
