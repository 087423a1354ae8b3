"""Kick-the-tires, full evaluations with per-badge verdicts, the two threads, the lead's
proposal, the AE chair's decision and publication."""
