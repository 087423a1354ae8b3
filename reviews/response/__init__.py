"""Author response (rebuttal): services (drafts, submission, reviewer emails) and queries."""
