"""The AE committee: inviting evaluators (one or a CSV), their hardware profiles."""
