"""Affinity scores: how well each reviewer's expertise matches each submission.

``backends`` holds the pluggable scoring interface and its registry, ``tfidf`` the default
backend, ``services`` the computation that stores scores for a conference, ``csv_import`` the
chairs' upload of externally computed scores. See docs/affinity.md.
"""
