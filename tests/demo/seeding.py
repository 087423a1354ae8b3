"""The small demo the tests seed."""

# Twelve PC members: with fewer, the conflicts planted in six papers leave some paper without
# three reviewers of both sides (the solver then reports it infeasible).
SMALL = ["--papers", "6", "--reviewers", "12", "--seed", "1", "--phase", "reviewing"]
ACCOUNTS = 2 + 12 + 60
