"""The authors' side: invitation at release, registering and submitting an artifact, the
access secret, the appendix PDF, the automatic smoke checks."""
