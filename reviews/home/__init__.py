"""The reviewing sections of the home page (a PC member's work, a chair's desk)."""
