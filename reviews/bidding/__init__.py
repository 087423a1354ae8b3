"""Bidding: the PC member's bids (and conflicts declared while bidding) and the bid reminders."""
