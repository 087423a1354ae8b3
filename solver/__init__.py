"""Exact reviewer-assignment solver (pure Python, no database). See docs/assignment.md."""

from solver.problem import (
    BOTH,
    ML,
    SYSTEMS,
    AssignmentError,
    InfeasibleAssignment,
    Problem,
)
from solver.solve import Solution, solve

__all__ = [
    "BOTH",
    "ML",
    "SYSTEMS",
    "AssignmentError",
    "InfeasibleAssignment",
    "Problem",
    "Solution",
    "solve",
]
