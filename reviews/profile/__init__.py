"""The reviewer profile: side and load, topic interests, expertise (BibTeX import)."""
