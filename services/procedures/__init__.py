"""The legal procedures, one function per step: penalty cases, coercion, inspections, mediation, deadlines."""
