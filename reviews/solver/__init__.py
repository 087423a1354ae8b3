"""Exact reviewer-assignment solver (pure Python, no database). See docs/assignment.md."""

from reviews.solver.problem import (
    BOTH,
    ML,
    SYSTEMS,
    AssignmentError,
    InfeasibleAssignment,
    Problem,
)
from reviews.solver.solve import Solution, solve

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
