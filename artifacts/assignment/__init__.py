"""Bidding on artifacts and assigning evaluators (through the solver library, with hardware
compatibility as a hard constraint)."""
