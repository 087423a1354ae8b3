"""Automatic and manual reviewer assignment inside the web app (the solver itself is
solver; this package reads the database, stores proposals and changes Assignments)."""
