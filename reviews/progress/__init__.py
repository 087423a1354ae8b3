"""The chairs' reviewing progress: per reviewer, paper and side, with one-click reminders."""
