"""Badges out of the evaluation: drawn seals, the stamped camera-ready, the public results
page, the proceedings' badges and the metadata exports."""
