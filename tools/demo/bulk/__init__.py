"""Bulk demo data: ten years of one township's records (tools.demo.bulk.generate_township), fast and by the rules.

One module per record family — people.py (officers, committees and mediators through the services; parties),
activities.py (campaigns, trainings), inspections.py, penalty.py with penalty_steps.py and penalty_rows.py
(cases, their events, seizures, transfers), mediation.py — on a shared context.py (random source, dates, rows),
numbers.py (document numbers by the numbering rules) and writer.py (the one transaction). Each record is checked
by the rules its service applies (services/procedures/case_rules.py, mediation_rules.py, the forms' validators)
and each case and dispute is a path of its state machine (models/penalty_flow.py, models/mediation_flow.py).
"""

from tools.demo.bulk.writer import generate_township

__all__ = ["generate_township"]
