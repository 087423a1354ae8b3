"""The demo conference behind ``manage.py seed_demo`` (see docs/demo.md)."""
