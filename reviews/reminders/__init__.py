"""Review reminders: the hourly beat task and the once-a-day reminder emails to reviewers with
unfinished reviews."""
